"""``python -m deposit_writer``: run the deposit-writer service until SIGINT/SIGTERM."""
from sb_runtime.serve import run

from deposit_writer.app import create_app
from deposit_writer.settings import Settings


def main() -> None:
    settings = Settings()
    run(create_app(settings), settings.http_host, settings.http_port, settings.log_level)


if __name__ == "__main__":
    main()
