"""``python -m connector``: serve (default) or ``sync-status --tenant T`` (a progress bar)."""
from connector.cli import cli


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
