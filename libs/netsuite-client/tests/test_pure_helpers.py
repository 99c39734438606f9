"""Location parsing, URL templates, keyset predicates and PKCE."""

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from netsuite_client import (
    PermanentNetSuiteError,
    TbaCredentials,
    TenantConfig,
    build_authorize_url,
    code_challenge,
    external_id_ref,
    new_code_verifier,
    record_id_from_location,
)
from netsuite_client.suiteql import keyset_predicate

CREDS = TbaCredentials("a", "b", "c", "d")


@pytest.mark.parametrize(
    ("location", "record_id"),
    [
        ("https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customerpayment/1777", "1777"),
        ("http://127.0.0.1:9/accounts/TSTDRV1/services/rest/record/v1/customer/42/", "42"),
        ("/services/rest/record/v1/invoice/-5", "-5"),
    ],
)
def test_record_id_is_the_last_location_segment(location, record_id):
    assert record_id_from_location(location) == record_id


@pytest.mark.parametrize("location", [None, "", "1777"])
def test_missing_location_is_an_error(location):
    with pytest.raises(PermanentNetSuiteError):
        record_id_from_location(location)


def test_host_based_urls_use_label_and_realm():
    config = TenantConfig("acme", "1234567_SB1", CREDS)
    assert config.label == "1234567-sb1" and config.realm == "1234567_SB1"
    assert config.rest_url == "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest"
    assert config.restlet_url == "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl"
    assert config.token_url.endswith("1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token")


def test_path_based_urls_and_default_budget_headroom():
    config = TenantConfig("acme", "TSTDRV7", CREDS, rest_base_template="http://127.0.0.1:81/accounts/{account_id}/",
                          account_concurrency_limit=5)
    assert config.rest_url == "http://127.0.0.1:81/accounts/TSTDRV7/services/rest"
    assert config.effective_budget_limit == 4
    assert TenantConfig("a", "b", CREDS, account_concurrency_limit=1).effective_budget_limit == 1
    assert TenantConfig("a", "b", CREDS, budget_limit=5).effective_budget_limit == 5


def test_external_id_ref_is_percent_encoded():
    assert external_id_ref("sb-pay-acme-1") == "eid:sb-pay-acme-1"
    assert external_id_ref("a/b c") == "eid:a%2Fb%20c"


def test_keyset_predicate_quotes_non_integers():
    assert keyset_predicate("id", "1234") == "id > 1234"
    assert keyset_predicate("t.tranid", "INV'7") == "t.tranid > 'INV''7'"


def test_pkce_challenge_matches_authlib():
    for _ in range(20):
        verifier = new_code_verifier()
        assert 43 <= len(verifier) <= 128
        assert code_challenge(verifier) == create_s256_code_challenge(verifier)
        assert "=" not in code_challenge(verifier)


def test_authorize_url_carries_pkce_and_state():
    url = build_authorize_url("https://system.netsuite.com/app/login/oauth2/authorize.nl", client_id="cid",
                              redirect_uri="https://sb.example/cb", state="s" * 22, code_verifier="v" * 43)
    assert "code_challenge_method=S256" in url and "response_type=code" in url
    assert "scope=rest_webservices+restlets" in url and "state=" + "s" * 22 in url


def test_the_budget_leaves_one_slot_or_a_fifth_of_the_account_limit_to_other_integrations():
    from netsuite_client import budget_limit

    assert [budget_limit(limit) for limit in (1, 2, 5, 10, 15)] == [1, 1, 4, 8, 12]
    assert budget_limit(15, slots=1, fraction=0.0) == 14
