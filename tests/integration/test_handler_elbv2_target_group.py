from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.elbv2_target_group import Elbv2TargetGroupHandler
from tests.integration.elb_fixtures import listen, load_balancer, target_group
from tests.integration.stubs import StubbedClients


def test_discovers_links_and_deletes_target_groups(aws, location, seed):
    balancer = load_balancer(seed, "web")
    used = target_group(seed, "used", tags={"team": "a"})
    spare = target_group(seed, "spare")
    listen(seed, balancer, used)
    handler = Elbv2TargetGroupHandler(aws)
    found = {r.name: r for r in handler.discover(location, [])}
    assert found["used"].id == used and found["used"].tags == {"team": "a"}
    assert [(link.type_key, link.id) for link in found["used"].links] == [("elbv2:load-balancer", balancer)]
    assert found["spare"].links == ()
    seed("elbv2").delete_load_balancer(LoadBalancerArn=balancer)  # what the load balancer task did
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert seed("elbv2").describe_target_groups()["TargetGroups"] == []
    assert spare
    assert {o.kind for o in handler.delete(location, list(found.values()))} <= {
        OutcomeKind.GONE,
        OutcomeKind.DONE,  # AWS's DeleteTargetGroup succeeds for a group already gone
    }


def test_a_group_still_forwarded_to_is_not_yet():
    # moto deletes a target group a listener still forwards to; AWS answers ResourceInUse
    stub = StubbedClients("elbv2")
    stub.error(
        "delete_target_group", "ResourceInUse", "Target group is currently in use by a listener or a rule"
    )
    arn = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/used/73e2d6bc24d8a067"
    [result] = Elbv2TargetGroupHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("elbv2:target-group", arn, "1", "r")]
    )
    assert result.kind is OutcomeKind.NOT_YET
