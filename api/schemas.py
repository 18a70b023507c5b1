"""The API's shapes, for the OpenAPI 3.1 document (/api/schema/) and its readers.

The requests are read by `api.protocol` (strictly, with our own messages, unknown fields ignored); these models
describe them. The responses are validated against the models before they are sent, except the evaluations'
(the hot path), which the tests hold to the models' own rendering instead.
"""

from typing import Any, Literal

from django.conf import settings
from ninja import Schema
from pydantic import ConfigDict, Field, RootModel


class _Open(Schema):
    model_config = ConfigDict(extra="allow")


class Subject(_Open):
    type: str = Field(
        min_length=1, pattern=r"\S", examples=["eherkenningsmiddel"], description="Always `eherkenningsmiddel`."
    )
    id: str = Field(
        min_length=1, pattern=r"\S", description="The middel's public id (a UUID), as the Beheermodule shows support."
    )
    properties: dict[str, Any] | None = None


class ResourceProperties(_Open):
    kvk_nummer: str = Field(description="KvK-nummer (8 digits) of the organisation acted for.")
    vestigingsnummer: str | None = Field(None, description="Vestigingsnummer (12 digits), when it matters.")


class Resource(_Open):
    type: str = Field(min_length=1, pattern=r"\S", examples=["dienst"], description="Always `dienst`.")
    id: str = Field(
        min_length=1, pattern=r"\S", description="The dienst's ServiceUUID in the eToegang Dienstencatalogus."
    )
    properties: ResourceProperties


class Action(_Open):
    name: str = Field(min_length=1, pattern=r"\S", examples=["inloggen"], description="Always `inloggen`.")
    properties: dict[str, Any] | None = None


class Context(_Open):
    time: str | None = Field(
        None,
        json_schema_extra={"format": "date-time"},
        description="RFC 3339 moment (with offset) the question is about (NL GOV profile); default now. "
        "Its day is Amsterdam's.",
    )


class EvaluationRequest(_Open):
    subject: Subject
    resource: Resource
    action: Action
    context: Context | None = None


class EvaluationItem(_Open):
    """An item is read after the defaults are applied; one that cannot be read is answered with `decision: false`
    and the reason `vraag_ongeldig`, not with 400 for the whole batch."""


class EvaluationsOptions(_Open):
    evaluations_semantic: Literal["execute_all", "deny_on_first_deny", "permit_on_first_permit"] = "execute_all"


class EvaluationsBatch(_Open):
    subject: Subject | None = None
    resource: Resource | None = None
    action: Action | None = None
    context: Context | None = None
    evaluations: list[EvaluationItem] = Field(
        min_length=1,
        max_length=settings.API_BATCH_MAX,
        description="Each item replaces a top-level default as a whole object.",
    )
    options: EvaluationsOptions | None = None


class EvaluationsRequest(RootModel[EvaluationsBatch | EvaluationRequest]):
    """A batch, or (without or with empty `evaluations`) one evaluation."""


class Page(_Open):
    next_token: str | None = Field(None, pattern=r"^(o[0-9]+)?$", description="From the previous answer's page.")
    limit: int | None = Field(None, ge=1)


class SearchSubject(_Open):
    type: str = Field(min_length=1, pattern=r"\S")


class SearchResource(_Open):
    type: str = Field(min_length=1, pattern=r"\S")
    properties: ResourceProperties


class SubjectSearchRequest(_Open):
    subject: SearchSubject
    resource: Resource
    action: Action
    context: Context | None = None
    page: Page | None = None


class ResourceSearchRequest(_Open):
    subject: Subject
    resource: SearchResource
    action: Action
    context: Context | None = None
    page: Page | None = None


class ActionSearchRequest(_Open):
    subject: Subject
    resource: Resource
    context: Context | None = None
    page: Page | None = None


# -- responses


class Reden(Schema):
    code: str
    nl: str
    en: str


class DecisionContext(_Open):
    dag: str | None = Field(None, description="The (Amsterdam) day decided on.")
    tijd: str | None = Field(None, description="The moment asked about (RFC 3339).")
    geldig_tot: str = Field(
        description="R77: rely on this answer until then at most: 4 hours, never past the end of the machtiging."
    )
    niveau: str | None = None
    niveau_urn: str | None = None
    pad: dict[str, Any] | None = Field(None, description="For yes: the path that permits (soort, ids, end).")
    redenen: list[Reden] | None = Field(None, description="For no: every reason, with its code.")


class EvaluationResponse(Schema):
    decision: bool
    context: DecisionContext


class EvaluationsResponse(Schema):
    evaluations: list[EvaluationResponse]


class PageResponse(Schema):
    next_token: str


class SearchResult(_Open):
    type: str
    id: str
    properties: dict[str, Any] | None = None


class SubjectSearchResponse(Schema):
    results: list[SearchResult]
    page: PageResponse


class ResourceSearchResponse(Schema):
    results: list[SearchResult]
    page: PageResponse


class ActionResult(Schema):
    name: str


class ActionSearchResponse(Schema):
    results: list[ActionResult]
    page: PageResponse


class Fout(Schema):
    error: str
    message: str
    field: str | None = None


class Configuration(_Open):
    policy_decision_point: str
    access_evaluation_endpoint: str
    access_evaluations_endpoint: str
    search_subject_endpoint: str
    search_resource_endpoint: str
    search_action_endpoint: str
    capabilities: list[str]


VERZOEKEN = [
    EvaluationRequest,
    EvaluationsRequest,
    SubjectSearchRequest,
    ResourceSearchRequest,
    ActionSearchRequest,
]
