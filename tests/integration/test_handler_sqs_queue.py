from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.sqs_queue import SqsQueueHandler
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_queues(aws, location, seed):
    sqs = seed("sqs")
    jobs = sqs.create_queue(QueueName="jobs", tags={"team": "ops"})["QueueUrl"]
    sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})
    handler = SqsQueueHandler(aws)

    found = {r.name: r for r in handler.discover(location, [])}
    assert set(found) == {"jobs", "jobs.fifo"}
    assert found["jobs"].id == jobs and found["jobs"].tags == {"team": "ops"}
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert sqs.list_queues().get("QueueUrls", []) == []


def test_deleting_a_vanished_queue_is_gone(aws, location, seed):
    url = seed("sqs").create_queue(QueueName="gone-soon")["QueueUrl"]
    handler = SqsQueueHandler(aws)
    [queue] = handler.discover(location, [])
    seed("sqs").delete_queue(QueueUrl=url)
    [result] = handler.delete(location, [queue])
    assert result.kind is OutcomeKind.GONE


def test_the_legacy_query_code_of_a_missing_queue_is_gone_too():
    # AWS's query-protocol code for a missing queue (the JSON protocol says QueueDoesNotExist)
    stub = StubbedClients("sqs")
    stub.error(
        "delete_queue", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist"
    )
    url = "https://sqs.us-east-1.amazonaws.com/1/q"
    [result] = SqsQueueHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("sqs:queue", url, "1", "r")]
    )
    assert result.kind is OutcomeKind.GONE
