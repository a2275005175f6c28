import json

from costzero.presentation.sdk import CostZero
from tests.integration.park_fixtures import seed_instances


def test_the_state_mirror_is_backed_up_and_the_backup_bucket_is_never_destroyed(moto_server, seed, tmp_path):
    seed("s3").create_bucket(Bucket="costzero-state")
    seed("s3").create_bucket(Bucket="scratch")
    [instance] = seed_instances(seed, 1)
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=["us-east-1"],
        database_url=f"sqlite:///{tmp_path / 'p.db'}",
        state_backup={"bucket": "costzero-state"},
        wait={"first_delay": 0.01, "max_delay": 0.05},
    ) as sdk:
        account = sdk.whoami()
        assert sdk.stop(types=["ec2:instance"], accounts=[account], dry_run=False, yes=True).ok
        body = seed("s3").get_object(Bucket="costzero-state", Key="costzero/state.json")["Body"].read()
        assert [r["id"] for r in json.loads(body)["resources"]["ec2:instance"]] == [instance]

        plan = sdk.plan(types=["s3:bucket"], accounts=[account])
        assert [r.id for r in plan.targets] == ["scratch"]
        assert [(k.resource.id, k.reason) for k in plan.kept] == [
            ("costzero-state", "costzero's own state: never touched")
        ]
