"""``python -m invoice_sync``: run the invoice-sync service until SIGINT/SIGTERM."""
from sb_runtime.serve import run

from invoice_sync.app import create_app
from invoice_sync.settings import Settings


def main() -> None:
    settings = Settings()
    run(create_app(settings), settings.http_host, settings.http_port, settings.log_level)


if __name__ == "__main__":
    main()
