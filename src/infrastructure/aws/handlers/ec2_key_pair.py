from __future__ import annotations

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="ec2:key-pair",
    description="EC2 key pairs (free, but clutter and a security liability)",
)


class Ec2KeyPairHandler(ListDeleteHandler):
    spec = SPEC
    iam_actions = (
        "ec2:DescribeKeyPairs",
        "ec2:DeleteKeyPair",
    )
    free_because = "key pairs have no charge"
    list_call, items_key = "describe_key_pairs", "KeyPairs"  # not paginated: one call lists them all
    id_key, name_key, created_key = "KeyPairId", "KeyName", "CreateTime"
    delete_call, delete_param, delete_by = "delete_key_pair", "KeyName", "name"  # no batch delete
