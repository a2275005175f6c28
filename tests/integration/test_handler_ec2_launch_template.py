from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location
from costzero.infrastructure.aws.handlers.ec2_launch_template import Ec2LaunchTemplateHandler
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_launch_templates_with_their_versions(aws, location, seed):
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    template = ec2.create_launch_template(
        LaunchTemplateName="web", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"}
    )["LaunchTemplate"]["LaunchTemplateId"]
    ec2.create_launch_template_version(
        LaunchTemplateId=template, LaunchTemplateData={"InstanceType": "t3.small"}
    )
    handler = Ec2LaunchTemplateHandler(aws)
    [found] = handler.discover(location, [])
    assert (found.id, found.name, found.attributes["latest_version"]) == (template, "web", 2)
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # idempotent


def test_templates_a_service_manages_are_left_alone():
    # moto has no managed templates (Operator): the listing is stubbed
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_launch_templates",
        {
            "LaunchTemplates": [
                {"LaunchTemplateId": "lt-mine", "LaunchTemplateName": "mine"},
                {
                    "LaunchTemplateId": "lt-eks",
                    "LaunchTemplateName": "eks-auto",
                    "Operator": {"Managed": True, "Principal": "eks.amazonaws.com"},
                },
            ]
        },
    )
    found = Ec2LaunchTemplateHandler(stub).discover(Location("1", "us-east-1"), [])
    assert [r.id for r in found] == ["lt-mine"]
