"""suitebridge event contracts. Frozen pydantic models; money is Decimal, strings on the wire."""
