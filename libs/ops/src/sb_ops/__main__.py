"""``python -m sb_ops ...`` is the same as the ``suitebridge`` console script."""
from sb_ops.cli import app

if __name__ == "__main__":
    app(prog_name="suitebridge")
