"""Emulator-wide configuration: the one OAuth 2.0 integration record valid for every account."""

import os
from dataclasses import dataclass, field

DEFAULT_REDIRECT = "http://127.0.0.1:8765/oauth/callback"


@dataclass
class EmulatorConfig:
    oauth_client_id: str = "sb-emulator-client-id-0000000000000000000000000000000000000000000000"
    oauth_client_secret: str = "sb-emulator-client-secret-000000000000000000000000000000000000000000"
    oauth_redirect_uris: list[str] = field(default_factory=lambda: [DEFAULT_REDIRECT])
    oauth_scopes: list[str] = field(default_factory=lambda: ["rest_webservices", "restlets"])
    tba_timestamp_tolerance_s: int = 300
    # Accounts seeded with more invoices than this live in a sqlite file in a temp dir.
    on_disk_threshold: int = 200_000

    @classmethod
    def from_env(cls, **overrides) -> "EmulatorConfig":
        config = cls()
        environ = os.environ
        if environ.get("NS_EMULATOR_OAUTH_CLIENT_ID"):
            config.oauth_client_id = environ["NS_EMULATOR_OAUTH_CLIENT_ID"]
        if environ.get("NS_EMULATOR_OAUTH_CLIENT_SECRET"):
            config.oauth_client_secret = environ["NS_EMULATOR_OAUTH_CLIENT_SECRET"]
        if environ.get("NS_EMULATOR_OAUTH_REDIRECT_URIS"):
            config.oauth_redirect_uris = environ["NS_EMULATOR_OAUTH_REDIRECT_URIS"].split(",")
        for key, value in overrides.items():
            if value is not None:
                setattr(config, key, value)
        return config

    def integration(self) -> dict:
        return {"client_id": self.oauth_client_id, "client_secret": self.oauth_client_secret,
                "redirect_uris": list(self.oauth_redirect_uris)}
