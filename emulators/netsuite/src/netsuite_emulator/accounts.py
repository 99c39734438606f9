"""Accounts: settings, credentials, fault switches, OAuth tokens, stats and the SQL store."""

import random
import secrets
from dataclasses import dataclass, field

from netsuite_emulator import spoiled
from netsuite_emulator.clock import AccountClock
from netsuite_emulator.exposure import Exposure
from netsuite_emulator.stats import Stats
from netsuite_emulator.store import Store

SETTINGS = (
    "timezone", "date_format", "time_format", "concurrency_limit", "latency_ms", "latency_jitter_ms",
    "error_rate", "ambiguous_write_rate", "ambiguous_write_mode", "access_token_ttl_s",
    "refresh_token_ttl_s", "suiteql_row_cap", "oneworld", "permissions_missing", "load_401_rate",
    "load_401_next", "restlet_answer", "commit_lag_s",
)
FEATURES = ("rest_web_services", "token_auth", "bundle_installed")


def canonical_id(text: str) -> str:
    """'tstdrv7001' / '1234567-sb1' / '1234567_SB1' -> the account id form '1234567_SB1'."""
    return text.strip().upper().replace("-", "_")


def host_label(account_id: str) -> str:
    return account_id.lower().replace("_", "-")


@dataclass
class TbaCredentials:
    consumer_key: str
    consumer_secret: str
    token_id: str
    token_secret: str

    @classmethod
    def generate(cls) -> "TbaCredentials":
        return cls(*(secrets.token_hex(32) for _ in range(4)))

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Account:
    account_id: str
    store: Store
    tba: TbaCredentials
    timezone: str = "America/Los_Angeles"
    date_format: str = "M/D/YYYY"
    time_format: str = "h:mm a"
    concurrency_limit: int = 15
    latency_ms: int = 0
    latency_jitter_ms: int = 0
    error_rate: float = 0.0
    ambiguous_write_rate: float = 0.0
    ambiguous_write_mode: str = "mixed"  # "500", "drop" or "mixed"
    access_token_ttl_s: int = 3600
    refresh_token_ttl_s: int = 604800
    suiteql_row_cap: int = 100_000
    oneworld: bool = True  # False: no subsidiaries (the subsidiary record and columns are not found)
    permissions_missing: list = field(default_factory=list)  # records the role may not read
    load_401_rate: float = 0.0  # share of requests answered 401 "Invalid login attempt" (NetSuite under load)
    load_401_next: int = 0  # the next N requests are answered that 401 (deterministic, for tests)
    restlet_answer: str | dict | None = None  # spoiled PDF answers (spoiled.py), for all or {invoice id: kind}
    commit_lag_s: float = 0.0  # writes are stamped this long before they become visible (a save that commits late)
    features: dict = field(default_factory=lambda: {name: True for name in FEATURES})
    stats: Stats = field(default_factory=Stats)
    clock: AccountClock = field(default_factory=AccountClock)
    in_flight: int = 0
    nonces: dict = field(default_factory=dict)
    access_tokens: dict = field(default_factory=dict)   # jti -> expiry (epoch seconds)
    refresh_tokens: dict = field(default_factory=dict)  # jti -> expiry (epoch seconds)
    faults: random.Random = field(default_factory=random.Random)

    @property
    def label(self) -> str:
        return host_label(self.account_id)

    def settings(self) -> dict:
        values = {name: getattr(self, name) for name in SETTINGS}
        return {"account_id": self.account_id, **values, "features": dict(self.features)}

    def apply_settings(self, changes: dict) -> None:
        for name, value in changes.items():
            if name == "features":
                unknown = set(value) - set(FEATURES)
                if unknown:
                    raise ValueError(f"unknown features: {sorted(unknown)}")
                self.features.update({key: bool(flag) for key, flag in value.items()})
            elif name in SETTINGS:
                if name == "restlet_answer":
                    spoiled.validate(value)
                setattr(self, name, value)
            else:
                raise ValueError(f"unknown setting: {name}")

    def exposure(self) -> Exposure:
        return Exposure(bool(self.oneworld), frozenset(name.lower() for name in self.permissions_missing))

    def revoke_tokens(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()


class Registry:
    def __init__(self):
        self.accounts: dict[str, Account] = {}

    def add(self, account: Account) -> None:
        self.accounts[account.account_id] = account

    def find(self, text: str) -> Account | None:
        return self.accounts.get(canonical_id(text))

    def drop_all(self) -> None:
        for account in self.accounts.values():
            account.store.close()
        self.accounts.clear()

    def new_id(self) -> str:
        while True:
            candidate = f"TSTDRV{random.randint(1_000_000, 9_999_999)}"
            if candidate not in self.accounts:
                return candidate
