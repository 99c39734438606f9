"""``python -m payment_reconciler``: run the payment-reconciler service until SIGINT/SIGTERM."""
from sb_runtime.serve import run

from payment_reconciler.app import create_app
from payment_reconciler.settings import Settings


def main() -> None:
    settings = Settings()
    run(create_app(settings), settings.http_host, settings.http_port, settings.log_level)


if __name__ == "__main__":
    main()
