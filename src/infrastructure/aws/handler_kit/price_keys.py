"""Usage types the Price List shares between products of different prices, made distinct.

RDS prices every engine's DB instance hours under one usage type ("InstanceUsage:db.t3.micro" is
MySQL's $0.017 and PostgreSQL's $0.018 in us-east-1, told apart only by the product's
`databaseEngine` and its operation, CreateDBInstance:0002 or :0014), and a price key has no engine.
So the instance-hour keys carry the engine after an "@": "InstanceUsage:db.t3.micro@postgres".
Cost Explorer's USAGE_TYPE is the part before the "@" (with its region prefix); its OPERATION
tells the engines apart there.

Engines are named as the RDS API names them (`Engine`). Only engines whose Price List products
are one price per (usage type, engine) are mapped: the licensed engines (Oracle, SQL Server, Db2)
have several editions and license models behind one `databaseEngine`, so they get no key the book
fills, and their hours stay unknown rather than priced as another edition's.
"""

from __future__ import annotations

ENGINE_OF_PRICE_LIST = {
    "MySQL": "mysql",
    "MariaDB": "mariadb",
    "PostgreSQL": "postgres",
    "Aurora MySQL": "aurora-mysql",
    "Aurora PostgreSQL": "aurora-postgresql",
}
ENGINE_ALIASES = {"aurora": "aurora-mysql"}  # Aurora MySQL 1 (5.6) was engine "aurora"


def rds_instance_usage_type(usage_type: str, engine: str) -> str:
    """e.g. ("InstanceUsage:db.t3.micro", "postgres") -> "InstanceUsage:db.t3.micro@postgres"."""
    engine = engine.lower()
    return f"{usage_type}@{ENGINE_ALIASES.get(engine, engine)}"


def cost_explorer_usage_type(usage_type: str) -> str:
    """The usage type as Cost Explorer and the Price List write it (without the engine)."""
    return usage_type.split("@", 1)[0]
