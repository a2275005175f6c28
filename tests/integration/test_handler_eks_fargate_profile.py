from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.eks_fargate_profile import EksFargateProfileHandler
from tests.integration.stubs import StubbedClients

ROLE = "arn:aws:iam::123456789012:role/eks"


def seed_profile(seed, name, tags=None):
    eks = seed("eks")
    if "prod" not in eks.list_clusters()["clusters"]:
        eks.create_cluster(name="prod", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    eks.create_fargate_profile(
        clusterName="prod",
        fargateProfileName=name,
        podExecutionRoleArn=ROLE,
        selectors=[{"namespace": "jobs"}],
        tags=tags or {},
    )


def test_discovers_deletes_and_confirms_fargate_profiles(aws, location, seed):
    seed_profile(seed, "jobs", {"team": "a"})
    handler = EksFargateProfileHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "prod/jobs" and found.tags == {"team": "a"}
    assert handler.delete(location, [found])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def test_a_second_profile_of_a_cluster_waits_for_the_first_to_go():
    # moto deletes profiles at once; AWS deletes one per cluster at a time (ResourceInUseException)
    stub = StubbedClients("eks")
    stub.reply("delete_fargate_profile", {"fargateProfile": {"status": "DELETING"}})
    stub.error(
        "delete_fargate_profile", "ResourceInUseException", "Cannot delete: another profile is DELETING"
    )
    stub.reply("describe_fargate_profile", {"fargateProfile": {"status": "DELETING"}})
    handler = EksFargateProfileHandler(stub)
    profiles = [Resource("eks:fargate-profile", f"prod/{n}", "1", "us-east-1") for n in ("a", "b")]
    here = Location("1", "us-east-1")
    assert [o.kind for o in handler.delete(here, profiles)] == [OutcomeKind.PENDING, OutcomeKind.NOT_YET]
    assert handler.confirm_gone(here, profiles[:1])[0].kind is OutcomeKind.PENDING
