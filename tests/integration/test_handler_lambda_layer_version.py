import io
import zipfile

from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.lambda_layer_version import LambdaLayerVersionHandler


def publish(seed, name: str) -> str:
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("python/lib.py", "VALUE = 1\n")
    reply = seed("lambda").publish_layer_version(
        LayerName=name, Content={"ZipFile": code.getvalue()}, CompatibleRuntimes=["python3.11"]
    )
    return str(reply["LayerVersionArn"])


def test_discovers_every_version_of_every_layer_and_deletes_them(aws, location, seed):
    arns = {publish(seed, "shared"), publish(seed, "shared"), publish(seed, "other")}
    handler = LambdaLayerVersionHandler(aws)
    found = handler.discover(location, [])
    assert {r.id for r in found} == arns  # both versions of "shared", not only its latest
    assert {r.name for r in found} == {"shared:1", "shared:2", "other:1"}
    assert {o.kind for o in handler.delete(location, found)} == {OutcomeKind.DONE}
    assert handler.discover(location, []) == []
    # idempotent: deleting again is no error
    assert all(o.kind.is_success for o in handler.delete(location, found))
