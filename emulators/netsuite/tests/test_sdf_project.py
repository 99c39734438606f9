"""The SDF project in netsuite/ is deployable as written: its XML parses, the script record points
at a file that exists, and the script and deployment ids are the ones the connector and the
emulator use."""

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from connector.settings import Settings
from netsuite_emulator import restlet

PROJECT = Path(__file__).parents[3] / "netsuite"
SRC = PROJECT / "src"
SCRIPT_RECORD = SRC / "Objects" / "customscript_sb_invoice_pdf.xml"


def _parse(path: Path) -> ElementTree.Element:
    return ElementTree.parse(path).getroot()


def test_manifest_is_an_account_customization_needing_server_scripting():
    manifest = _parse(SRC / "manifest.xml")
    assert manifest.tag == "manifest" and manifest.get("projecttype") == "ACCOUNTCUSTOMIZATION"
    assert manifest.findtext("projectname")
    features = {feature.text for feature in manifest.iterfind("dependencies/features/feature")}
    assert "SERVERSIDESCRIPTING" in features


def test_deploy_paths_exist():
    deploy = _parse(SRC / "deploy.xml")
    assert deploy.tag == "deploy"
    paths = [path.text for path in deploy.iter("path")]
    assert any(path.startswith("~/FileCabinet/") for path in paths)
    assert any(path.startswith("~/Objects/") for path in paths)
    for path in paths:
        folder = SRC / path.removeprefix("~/").removesuffix("*").rstrip("/")
        assert folder.is_dir(), path


def test_script_record_points_at_an_existing_suitescript_2_1_restlet():
    record = _parse(SCRIPT_RECORD)
    assert record.tag == "restlet"
    reference = record.findtext("scriptfile")
    assert reference.startswith("[/SuiteScripts/") and reference.endswith("]"), reference
    script = SRC / "FileCabinet" / reference.strip("[]").lstrip("/")
    assert script.is_file(), reference
    header = script.read_text()
    assert re.search(r"@NApiVersion 2\.1\b", header) and re.search(r"@NScriptType Restlet\b", header)
    assert re.search(r"return \{ get \};", header), "the RESTlet exports its get entry point"


def test_ids_match_what_the_connector_and_the_emulator_call():
    record = _parse(SCRIPT_RECORD)
    deployments = [deployment.get("scriptid") for deployment in record.iterfind("scriptdeployments/scriptdeployment")]
    assert record.get("scriptid") == SCRIPT_RECORD.stem
    assert record.get("scriptid") == Settings.model_fields["pdf_script"].default == restlet.SCRIPT
    assert deployments == [Settings.model_fields["pdf_deploy"].default] == [restlet.DEPLOY]
    deployment = record.find("scriptdeployments/scriptdeployment")
    assert deployment.findtext("status") == "RELEASED" and deployment.findtext("isdeployed") == "T"
