"""``python -m connector``: run the connector service until SIGINT/SIGTERM."""
from sb_runtime.serve import run

from connector.app import create_app
from connector.settings import Settings


def main() -> None:
    settings = Settings()
    run(create_app(settings), settings.http_host, settings.http_port, settings.log_level)


if __name__ == "__main__":
    main()
