from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.sns_topic import SnsTopicHandler


def test_discovers_and_deletes_topics_with_their_subscriptions(aws, location, seed):
    sns, sqs = seed("sns"), seed("sqs")
    alerts = sns.create_topic(Name="alerts", Tags=[{"Key": "team", "Value": "ops"}])["TopicArn"]
    sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=alerts, Protocol="sqs", Endpoint=queue_arn)
    handler = SnsTopicHandler(aws)

    found = {r.name: r for r in handler.discover(location, [])}
    assert set(found) == {"alerts", "orders.fifo"}
    assert found["alerts"].id == alerts and found["alerts"].tags == {"team": "ops"}
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert handler.discover(location, []) == []
    assert sns.list_subscriptions()["Subscriptions"] == []  # deleted with the topic


def test_deleting_a_vanished_topic_is_idempotent(aws, location, seed):
    arn = seed("sns").create_topic(Name="gone-soon")["TopicArn"]
    handler = SnsTopicHandler(aws)
    [topic] = handler.discover(location, [])
    seed("sns").delete_topic(TopicArn=arn)
    [result] = handler.delete(location, [topic])
    assert result.kind.is_success
