from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.ec2_instance import Ec2InstanceHandler
from tests.integration.stubs import StubbedClients


def launch(seed, count, **extra):
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    reply = ec2.run_instances(ImageId=image, MinCount=count, MaxCount=count, InstanceType="t3.micro", **extra)
    return [i["InstanceId"] for i in reply["Instances"]]


def settle(handler, location, resources):
    outcomes = handler.delete(location, resources)
    for _ in range(10):
        waiting = [
            r
            for r in resources
            if any(o.resource_id == r.id and o.kind is OutcomeKind.PENDING for o in outcomes)
        ]
        if not waiting:
            break
        outcomes = handler.confirm_gone(location, waiting)
    return outcomes


def test_terminates_many_instances_in_one_call_and_waits_until_terminated(aws, location, seed):
    ids = launch(
        seed, 5, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}]
    )
    handler = Ec2InstanceHandler(aws)
    found = handler.discover(location, [location.region])
    assert {r.id for r in found} == set(ids)
    assert found[0].name == "web" and found[0].attributes["instance_type"] == "t3.micro"

    first = handler.delete(location, found)
    assert {o.kind for o in first} == {OutcomeKind.PENDING}
    assert aws.counter.calls[("ec2", "TerminateInstances")] == 1
    confirmed = handler.confirm_gone(location, found)
    assert {o.kind for o in confirmed} == {OutcomeKind.DONE}
    assert handler.discover(location, [location.region]) == []


def test_termination_protection_is_reported_without_a_mutating_call_and_the_rest_still_goes(
    aws, location, seed
):
    [protected] = launch(seed, 1)
    seed("ec2").modify_instance_attribute(InstanceId=protected, DisableApiTermination={"Value": True})
    others = launch(seed, 2)
    handler = Ec2InstanceHandler(aws)
    outcomes = {o.resource_id: o for o in handler.delete(location, handler.discover(location, []))}
    assert outcomes[protected].kind is OutcomeKind.PROTECTED
    assert "--disable-protection ec2:instance" in outcomes[protected].message
    assert all(outcomes[i].kind is OutcomeKind.PENDING for i in others)
    assert aws.counter.calls[("ec2", "TerminateInstances")] == 1  # the two others, in one call
    assert aws.counter.calls.get(("ec2", "ModifyInstanceAttribute"), 0) == 0
    state = seed("ec2").describe_instances(InstanceIds=[protected])["Reservations"][0]["Instances"][0][
        "State"
    ]
    assert state["Name"] == "running"


def test_with_disable_protection_it_is_turned_off_and_the_instance_terminated(aws, location, seed):
    [protected] = launch(seed, 1)
    seed("ec2").modify_instance_attribute(InstanceId=protected, DisableApiTermination={"Value": True})
    handler = Ec2InstanceHandler(aws, HandlerOptions(disable_protection=frozenset({"ec2:instance"})))
    found = handler.discover(location, [])
    assert [o.kind for o in settle(handler, location, found)] == [OutcomeKind.DONE]
    assert aws.counter.calls[("ec2", "ModifyInstanceAttribute")] == 1


def test_disabling_another_types_protection_leaves_instances_protected(aws, location, seed):
    [protected] = launch(seed, 1)
    seed("ec2").modify_instance_attribute(InstanceId=protected, DisableApiTermination={"Value": True})
    handler = Ec2InstanceHandler(aws, HandlerOptions(disable_protection=frozenset({"rds:db-instance"})))
    assert handler.delete(location, handler.discover(location, []))[0].kind is OutcomeKind.PROTECTED


def test_protection_turned_on_after_the_check_is_still_protected():
    # the flag read and the terminate are two calls: AWS's own refusal still ends it PROTECTED
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_instance_attribute", {"InstanceId": "i-1", "DisableApiTermination": {"Value": False}}
    )
    stub.error("terminate_instances", "OperationNotPermitted", params={"InstanceIds": ["i-1"]})
    stub.error("terminate_instances", "OperationNotPermitted", params={"InstanceIds": ["i-1"]})
    [result] = Ec2InstanceHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("ec2:instance", "i-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PROTECTED


def test_an_instance_gone_since_discovery_counts_as_gone(aws, location, seed):
    [instance] = launch(seed, 1)
    handler = Ec2InstanceHandler(aws)
    [found] = handler.discover(location, [])
    seed("ec2").terminate_instances(InstanceIds=[instance])
    assert {o.kind for o in settle(handler, location, [found])} == {OutcomeKind.DONE}


def test_real_aws_batch_failure_falls_back_to_one_by_one():
    # Real AWS rejects the whole TerminateInstances call when one ID is unknown; moto does not.
    stub = StubbedClients("ec2")
    for _ in range(2):  # the termination protection reads, one per instance (in either order)
        stub.reply("describe_instance_attribute", {"DisableApiTermination": {"Value": False}})
    stub.error("terminate_instances", "InvalidInstanceID.NotFound", params={"InstanceIds": ["i-1", "i-2"]})
    stub.reply("terminate_instances", {"TerminatingInstances": []}, {"InstanceIds": ["i-1"]})
    stub.error("terminate_instances", "InvalidInstanceID.NotFound", params={"InstanceIds": ["i-2"]})
    handler = Ec2InstanceHandler(stub)
    resources = [Resource("ec2:instance", i, "1", "us-east-1") for i in ("i-1", "i-2")]
    outcomes = {o.resource_id: o.kind for o in handler.delete(Location("1", "us-east-1"), resources)}
    assert outcomes == {"i-1": OutcomeKind.PENDING, "i-2": OutcomeKind.GONE}
    stub.stubber.assert_no_pending_responses()


def test_still_shutting_down_is_pending():
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_instances",
        {
            "Reservations": [
                {"Instances": [{"InstanceId": "i-1", "State": {"Code": 32, "Name": "shutting-down"}}]}
            ]
        },
    )
    [result] = Ec2InstanceHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("ec2:instance", "i-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING


def test_instance_store_roots_and_auto_scaling_members_are_not_parked():
    handler = Ec2InstanceHandler(StubbedClients("ec2"))
    ephemeral = Resource("ec2:instance", "i-1", "1", "r", attributes={"root_device_type": "instance-store"})
    member = Resource("ec2:instance", "i-2", "1", "r", tags={"aws:autoscaling:groupName": "web"})
    plain = Resource("ec2:instance", "i-3", "1", "r", attributes={"root_device_type": "ebs"})
    assert "instance-store" in handler.unparkable(ephemeral)
    assert "Auto Scaling group web" in handler.unparkable(member)
    assert handler.unparkable(plain) is None


def test_verification_reads_many_instances_in_one_call_and_a_gone_one_as_none(aws, location, seed):
    ids = launch(seed, 4)
    seed("ec2").stop_instances(InstanceIds=ids[:2])
    seed("ec2").terminate_instances(InstanceIds=ids[3:])
    handler = Ec2InstanceHandler(aws)
    resources = [Resource("ec2:instance", i, location.account, location.region) for i in ids]
    before = aws.counter.calls[("ec2", "DescribeInstances")]
    states = handler.read_many(location, resources)
    assert aws.counter.calls[("ec2", "DescribeInstances")] - before == 1
    assert states == {
        ids[0]: {"state": "stopped"},
        ids[1]: {"state": "stopped"},
        ids[2]: {"state": "running"},
        ids[3]: None,
    }


def test_instances_their_environment_terminated_cost_no_terminate_call(aws, location, seed):
    """An environment's instances are tried once it is gone; by then it terminated them."""
    tag = {"Key": "elasticbeanstalk:environment-id", "Value": "e-abc123"}
    owned = launch(seed, 2, TagSpecifications=[{"ResourceType": "instance", "Tags": [tag]}])
    free = launch(seed, 1)
    handler = Ec2InstanceHandler(aws)
    found = {r.id: r for r in handler.discover(location, [location.region])}
    assert {link.id for link in found[owned[0]].links} == {"e-abc123"}
    seed("ec2").terminate_instances(InstanceIds=[owned[0]])  # what the environment did
    before = aws.counter.calls[("ec2", "TerminateInstances")]
    outcomes = {o.resource_id: o.kind for o in handler.delete(location, list(found.values()))}
    assert outcomes[owned[0]] is OutcomeKind.GONE
    # still running (moto: the environment did not get to it): terminated with the free one
    assert outcomes[owned[1]] is OutcomeKind.PENDING and outcomes[free[0]] is OutcomeKind.PENDING
    assert aws.counter.calls[("ec2", "TerminateInstances")] - before == 1


# -- what discovery records for pricing ----------------------------------------------------------
def _image(seed, windows: bool) -> str:
    images = seed("ec2").describe_images(Owners=["amazon"])["Images"]
    return next(i["ImageId"] for i in images if (i.get("Platform") == "windows") == windows)


def test_discovery_records_what_an_instance_costs(aws, location, seed):
    ec2 = seed("ec2")
    linux, windows = (
        ec2.run_instances(ImageId=_image(seed, w), MinCount=1, MaxCount=1, InstanceType="t3.micro")[
            "Instances"
        ][0]["InstanceId"]
        for w in (False, True)
    )
    ec2.stop_instances(InstanceIds=[windows])
    handler = Ec2InstanceHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert found[linux].attributes["usage_operation"] == "RunInstances"
    assert found[linux].attributes["tenancy"] == "default" and found[linux].attributes["lifecycle"] is None
    # moto answers no UsageOperation: read from Platform, which AWS sets for Windows only
    assert found[windows].attributes["usage_operation"] == "RunInstances:0002"
    # moto names the account as owner of every public IP; real AWS says "amazon" (Stubber test below)
    assert found[linux].attributes["amazon_public_ipv4"] == 0
    [box] = handler.usage(found[linux])
    assert (box.usage_type, box.quantity) == ("BoxUsage:t3.micro", 1.0)
    [stopped] = handler.usage(found[windows])
    assert stopped.quantity == 0.0 and "no instance hours" in stopped.note


def test_public_ips_from_amazon_are_told_from_elastic_ips_as_real_aws_answers():
    # moto reports every public IP as owned by the account; AWS reports Amazon's own as "amazon"
    stub = StubbedClients("ec2")
    amazon = {"PublicIp": "3.80.3.41", "IpOwnerId": "amazon"}
    elastic = {"PublicIp": "52.1.2.3", "IpOwnerId": "123456789012"}
    stub.reply(
        "describe_instances",
        {
            "Reservations": [
                {
                    "Instances": [
                        {
                            "InstanceId": "i-1",
                            "InstanceType": "m5.large",
                            "State": {"Code": 16, "Name": "running"},
                            "Placement": {"Tenancy": "default"},
                            "Platform": "windows",
                            "PlatformDetails": "Windows",
                            "UsageOperation": "RunInstances:0002",
                            "InstanceLifecycle": "spot",
                            "NetworkInterfaces": [
                                {
                                    "Association": amazon,
                                    "PrivateIpAddresses": [
                                        {"Primary": True, "Association": amazon},
                                        {"Primary": False, "Association": elastic},
                                    ],
                                },
                                {"PrivateIpAddresses": [{"Primary": True}]},
                            ],
                        }
                    ]
                }
            ]
        },
    )
    handler = Ec2InstanceHandler(stub)
    [found] = handler.discover(Location("123456789012", "us-east-1"), [])
    assert found.attributes["amazon_public_ipv4"] == 1  # the Elastic IP is ec2:elastic-ip's
    assert found.attributes["usage_operation"] == "RunInstances:0002"
    assert found.attributes["platform_details"] == "Windows" and found.attributes["lifecycle"] == "spot"
    box, ip = handler.usage(found)
    assert box.usage_type == "SpotUsage:m5.large (RunInstances:0002)"
    assert (ip.service, ip.usage_type, ip.quantity) == ("AmazonVPC", "PublicIPv4:InUseAddress", 1.0)
