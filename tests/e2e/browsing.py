"""What the browser tests share: headless Chromium, waits that look again at a re-rendered page, and
platform events published as the upstream platform would."""
from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import uuid

from aiokafka import AIOKafkaProducer
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

# The dashboard re-renders (refresh, navigation): an element found a moment ago may be gone: look again.
RERENDERED = (NoSuchElementException, StaleElementReferenceException, ValueError)
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1600")


def waiting(driver, timeout_s: float, poll_s: float = 0.5) -> WebDriverWait:
    return WebDriverWait(driver, timeout_s, poll_frequency=poll_s, ignored_exceptions=RERENDERED)


@contextlib.contextmanager
def chromium():
    """Debian's headless Chromium with a profile of its own, removed afterwards."""
    profile = tempfile.mkdtemp(prefix="sb-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


async def publish(bootstrap: str, topic: str, tenant: str, event_type: str, data: dict) -> None:
    """One platform event on ``topic``, as the upstream platform sends it."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        envelope = {"event_id": str(uuid.uuid4()), "event_type": event_type, "schema_version": 1, "tenant_id": tenant,
                    "occurred_at": "2026-11-26T10:15:04.123Z", "data": data}
        await producer.send_and_wait(topic, json.dumps(envelope).encode(), key=tenant.encode())
    finally:
        await producer.stop()
