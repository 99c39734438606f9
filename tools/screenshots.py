"""Retake the dashboard screenshots in docs/dashboard/ from the running demo.

    make run            # in one terminal; wait for the demo's payments and a payout (a few minutes)
    .venv/bin/python tools/screenshots.py

Reads the demo's URL, tenant and admin token from .suitebridge/stack.json, signs in with headless
Chromium (tools/ensure_chromium.sh) and saves one full-page PNG per page. Waits for each page's
content (never a fixed sleep) and takes the picture right after a load, between auto-refreshes.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[1]
# (file name, page, CSS selector that must be on the page before the picture is taken)
PAGES = [
    ("overview", "", "#connection"),
    ("invoices", "invoices", "#invoice-list tr[data-invoice]"),
    ("payments", "payments", "#payment-list tr[data-payment]"),
    ("payouts", "payouts", "#payout-list tr[data-payout]"),
    ("health", "health", "svg#chart rect.bar"),
    ("action-items", "action-items", "h1"),
]


def chromium(width: int) -> tuple[webdriver.Chrome, str]:
    profile = tempfile.mkdtemp(prefix="sb-shots-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={width},900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options), profile


def shoot(driver, url: str, ready: str, path: Path, width: int, timeout_s: float) -> None:
    def loaded(d) -> bool:
        d.get(url)
        return bool(d.find_elements(By.CSS_SELECTOR, ready))

    WebDriverWait(driver, timeout_s, poll_frequency=2,
                  ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
        loaded, f"{ready} on {url}")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height), 600), 4000))
    driver.get(url)  # laid out at the full height, and a fresh 5 s before the next refresh
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 900)
    print(f"saved {path.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "dashboard")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for each page's content")
    args = parser.parse_args()
    manifest_path = ROOT / ".suitebridge" / "stack.json"
    if not manifest_path.exists():
        print("no .suitebridge/stack.json: start the demo with `make run` first", file=sys.stderr)
        return 1
    manifest = json.loads(manifest_path.read_text())
    tenant = (manifest.get("demo") or {}).get("tenant_id")
    if not tenant:
        print("the stack runs without the demo (SUITEBRIDGE_DEMO=off); nothing to photograph", file=sys.stderr)
        return 1
    base = manifest["connector_url"]
    args.out.mkdir(parents=True, exist_ok=True)
    driver, profile = chromium(args.width)
    try:
        driver.get(f"{base}/dashboard/login?tenant={quote(tenant)}")
        driver.save_screenshot(str(args.out / "sign-in.png"))
        print(f"saved {(args.out / 'sign-in.png').relative_to(ROOT)}")
        driver.find_element(By.ID, "token").send_keys(manifest["admin_token"])
        driver.find_element(By.ID, "sign-in").click()
        WebDriverWait(driver, 30).until(lambda d: "/dashboard/login" not in d.current_url)
        for name, page, ready in PAGES:
            url = f"{base}/dashboard{'/' + page if page else ''}?tenant={quote(tenant)}"
            shoot(driver, url, ready, args.out / f"{name}.png", args.width, args.timeout)
        driver.get(f"{base}/dashboard/invoices?tenant={quote(tenant)}")
        detail = WebDriverWait(driver, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, "a.invoice"))
        shoot(driver, detail.get_attribute("href"), "#invoice-lines", args.out / "invoice-detail.png", args.width,
              args.timeout)
        shoot(driver, f"{base}/dashboard/payments?tenant=msp-not-connected-yet", "#not-connected",
              args.out / "not-connected.png", args.width, args.timeout)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
