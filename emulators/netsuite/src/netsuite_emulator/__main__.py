"""python -m netsuite_emulator serve --port 8080 [--host 127.0.0.1] [--tls-cert F --tls-key F]
[--oauth-client-id ID --oauth-client-secret SECRET --oauth-redirect-uri URI ...]"""

import argparse
import logging

from netsuite_emulator.config import EmulatorConfig
from netsuite_emulator.server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="netsuite_emulator")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the emulator")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument("--tls-cert")
    run.add_argument("--tls-key")
    run.add_argument("--oauth-client-id")
    run.add_argument("--oauth-client-secret")
    run.add_argument("--oauth-redirect-uri", action="append", dest="oauth_redirect_uris")
    run.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    config = EmulatorConfig.from_env(oauth_client_id=args.oauth_client_id,
                                     oauth_client_secret=args.oauth_client_secret,
                                     oauth_redirect_uris=args.oauth_redirect_uris)
    serve(config, args.host, args.port, args.tls_cert, args.tls_key, args.log_level)


if __name__ == "__main__":
    main()
