package mpluskassa

import (
	"context"
	"fmt"
	"iter"

	"github.com/shopspring/decimal"
)

// Relation is a customer or supplier, person or company (Relation), a
// subset of the schema's fields in schema order. There is no type flag: a
// company has CompanyName (and Name), with its contact person in Contact.
// Balance and CreditLimit are xsd:long the official client leaves unscaled
// (presumably cents, unconfirmed); InvoiceCredit and AccountBalance are
// xsd:decimal in euros.
type Relation struct {
	RelationNumber     *int64           `xml:"relationNumber,omitempty"`
	ExtRelationID      *string          `xml:"extRelationId,omitempty"`
	SyncMarker         *int64           `xml:"syncMarker,omitempty"`
	CreateTimestamp    *DateTime        `xml:"createTimestamp,omitempty"`
	ChangeTimestamp    *DateTime        `xml:"changeTimestamp,omitempty"`
	Active             *bool            `xml:"active,omitempty"`
	Name               *string          `xml:"name,omitempty"`
	Address            *string          `xml:"address,omitempty"`
	Zipcode            *string          `xml:"zipcode,omitempty"`
	City               *string          `xml:"city,omitempty"`
	Country            *string          `xml:"country,omitempty"`
	DeliveryAddress    *string          `xml:"deliveryAddress,omitempty"`
	DeliveryZipcode    *string          `xml:"deliveryZipcode,omitempty"`
	DeliveryCity       *string          `xml:"deliveryCity,omitempty"`
	DeliveryCountry    *string          `xml:"deliveryCountry,omitempty"`
	Contact            *string          `xml:"contact,omitempty"`
	Telephone          *string          `xml:"telephone,omitempty"`
	Mobile             *string          `xml:"mobile,omitempty"`
	Email              *string          `xml:"email,omitempty"`
	Website            *string          `xml:"website,omitempty"`
	BirthDate          *Date            `xml:"birthDate,omitempty"`
	RelationCode       *string          `xml:"relationCode,omitempty"`
	Points             *int             `xml:"points,omitempty"`
	Balance            *int64           `xml:"balance,omitempty"`
	PriceGroupNumber   *int             `xml:"priceGroupNumber,omitempty"`
	DiscountPercentage *int             `xml:"discountPercentage,omitempty"`
	CategoryID         *int             `xml:"categoryId,omitempty"`
	CategoryIDs        *CategoryIdSet   `xml:"categoryIds,omitempty"`
	CardNumber         *string          `xml:"cardNumber,omitempty"`
	BankAccountNumber  *string          `xml:"bankAccountNumber,omitempty"`
	CreditLimit        *int64           `xml:"creditLimit,omitempty"`
	PaymentWithinDays  *int             `xml:"paymentWithinDays,omitempty"`
	VatNumber          *string          `xml:"vatNumber,omitempty"`
	CommerceNumber     *string          `xml:"commerceNumber,omitempty"`
	ExtraText          *string          `xml:"extraText,omitempty"`
	DefaultVatMethod   *string          `xml:"defaultVatMethod,omitempty"`
	CompanyName        *string          `xml:"companyName,omitempty"`
	InvoiceCredit      *decimal.Decimal `xml:"invoiceCredit,omitempty"`
	AccountBalance     *decimal.Decimal `xml:"accountBalance,omitempty"`
	DirectDebit        *bool            `xml:"directDebit,omitempty"`
	ReminderEmail      *string          `xml:"reminderEmail,omitempty"`
}

// FindRelationV2Request searches one relation (FindRelationV2Request): the
// filled fields of Relation are the search terms. Without ExactMatch the
// server matches partially and case-insensitively ("john d" finds "John
// Doe").
type FindRelationV2Request struct {
	Relation   Relation `xml:"relation"`
	ExactMatch *bool    `xml:"exactMatch,omitempty"`
}

// FindRelationV2Response is the answer to findRelationV2.
type FindRelationV2Response struct {
	Result   string    `xml:"result"`
	Relation *Relation `xml:"relation,omitempty"`
}

// GetRelationsRequest selects relations (GetRelationsRequest).
type GetRelationsRequest struct {
	RelationNumbers []int64 `xml:"relationNumbers,omitempty"`
	CategoryID      *int    `xml:"categoryId,omitempty"`
	SyncMarker      *int64  `xml:"syncMarker,omitempty"`
	SyncMarkerLimit *int    `xml:"syncMarkerLimit,omitempty"`
}

// GetRelationsResponse is the answer to getRelations.
type GetRelationsResponse struct {
	RelationList RelationList `xml:"relationList"`
}

// RelationList is a list of relations (RelationList).
type RelationList struct {
	Relation []Relation `xml:"relation"`
}

// GetRelationResponse is the answer to getRelation. The schema requires
// Relation, but a server may leave it out with NOT-FOUND.
type GetRelationResponse struct {
	Result   string    `xml:"result"`
	Relation *Relation `xml:"relation"`
}

// CreateRelationResponse is the answer to createRelation.
type CreateRelationResponse struct {
	Result          string    `xml:"result"`
	RelationNumber  int64     `xml:"relationNumber"`
	ChangeTimestamp *DateTime `xml:"changeTimestamp,omitempty"`
	SyncMarker      *int64    `xml:"syncMarker,omitempty"`
	ErrorMessage    string    `xml:"errorMessage"`
}

// UpdateRelationResponse is the answer to updateRelation.
type UpdateRelationResponse struct {
	Result          string    `xml:"result"`
	ErrorMessage    string    `xml:"errorMessage"`
	ChangeTimestamp *DateTime `xml:"changeTimestamp,omitempty"`
	SyncMarker      *int64    `xml:"syncMarker,omitempty"`
}

// Relation result codes.
const (
	FindRelationOK            = "FIND-RELATION-RESULT-OK"
	FindRelationNotFound      = "FIND-RELATION-RESULT-NOT-FOUND"
	GetRelationOK             = "GET-RELATION-RESULT-OK"
	GetRelationNotFound       = "GET-RELATION-RESULT-NOT-FOUND"
	CreateRelationOK          = "CREATE-RELATION-RESULT-OK"
	CreateRelationFailed      = "CREATE-RELATION-RESULT-FAILED"
	CreateRelationNumberTaken = "CREATE-RELATION-RESULT-FAILED-RELATION-NUMBER-ALREADY-TAKEN"
	UpdateRelationOK          = "UPDATE-RELATION-RESULT-OK"
	UpdateRelationNotFound    = "UPDATE-RELATION-RESULT-NOT-FOUND"
	UpdateRelationFailed      = "UPDATE-RELATION-RESULT-FAILED"
)

var (
	opFindRelationV2 = operation{name: "findRelationV2", response: "FindRelationV2Response", idempotent: true}
	opGetRelation    = operation{name: "getRelation", response: "GetRelationResponse", idempotent: true}
	opGetRelations   = operation{name: "getRelations", response: "GetRelationsResponse", idempotent: true}
	opCreateRelation = operation{name: "createRelation", response: "CreateRelationResponse", idempotent: false}
	opUpdateRelation = operation{name: "updateRelation", response: "UpdateRelationResponse", idempotent: false}
)

type findRelationV2In struct {
	Request FindRelationV2Request `xml:"request"`
}

type getRelationIn struct {
	RelationNumber int64 `xml:"relationNumber"`
}

type getRelationsIn struct {
	Request GetRelationsRequest `xml:"request"`
}

type relationIn struct {
	Relation Relation `xml:"relation"`
}

// RelationsService calls the relation operations.
type RelationsService struct{ c *Client }

// FindRelationV2 calls findRelationV2: the one relation matching the filled
// fields of req.Relation. FIND-RELATION-RESULT-NOT-FOUND matches
// connector.ErrNotFound. To find by e-mail, set ExactMatch: partial matching
// would find "hanna@…" for "anna@…".
func (s *RelationsService) FindRelationV2(ctx context.Context, req FindRelationV2Request) (*Relation, error) {
	out, err := do[FindRelationV2Response](ctx, s.c, opFindRelationV2, findRelationV2In{req})
	if err != nil {
		return nil, err
	}
	return found(opFindRelationV2, out.Result, out.Relation)
}

// GetRelation calls getRelation. GET-RELATION-RESULT-NOT-FOUND matches
// connector.ErrNotFound.
func (s *RelationsService) GetRelation(ctx context.Context, relationNumber int64) (*Relation, error) {
	out, err := do[GetRelationResponse](ctx, s.c, opGetRelation, getRelationIn{relationNumber})
	if err != nil {
		return nil, err
	}
	return found(opGetRelation, out.Result, out.Relation)
}

// found returns the record of a successful get or find answer, which must
// hold one.
func found[T any](op operation, result string, v *T) (*T, error) {
	if v == nil {
		return nil, fmt.Errorf("%s: %s: %s without a record", SystemName, op.name, result)
	}
	return v, nil
}

// GetRelations calls getRelations: one page of relations.
func (s *RelationsService) GetRelations(ctx context.Context, req GetRelationsRequest) ([]Relation, error) {
	return list(ctx, s.c, opGetRelations, getRelationsIn{req}, func(r *GetRelationsResponse) []Relation { return r.RelationList.Relation })
}

// All streams every relation matching req by sync marker, from
// req.SyncMarker (inclusive) in pages of req.SyncMarkerLimit (nil means
// [DefaultSyncMarkerLimit]; the server caps pages at 1000).
func (s *RelationsService) All(ctx context.Context, req GetRelationsRequest) iter.Seq2[Relation, error] {
	return pages(ctx, "relation", req, s.GetRelations, func(r Relation) *int64 { return r.SyncMarker })
}

// CreateRelation calls createRelation and returns the relation number.
func (s *RelationsService) CreateRelation(ctx context.Context, r Relation) (*CreateRelationResponse, error) {
	return do[CreateRelationResponse](ctx, s.c, opCreateRelation, relationIn{r})
}

// UpdateRelation calls updateRelation for r.RelationNumber. Fields left nil
// are not sent and keep their values (unconfirmed, the usual reading of
// optional elements). UPDATE-RELATION-RESULT-NOT-FOUND matches
// connector.ErrNotFound.
func (s *RelationsService) UpdateRelation(ctx context.Context, r Relation) (*UpdateRelationResponse, error) {
	chk := rules{record: recordName("relation", r.RelationNumber)}
	if r.RelationNumber == nil {
		chk.add("relationNumber", "", "is required to update a relation")
	} else {
		chk.positive("relationNumber", *r.RelationNumber)
	}
	if err := chk.err(); err != nil {
		return nil, err
	}
	return do[UpdateRelationResponse](ctx, s.c, opUpdateRelation, relationIn{r})
}

func (r *FindRelationV2Response) resultOf() (string, string) { return r.Result, "" }
func (r *GetRelationResponse) resultOf() (string, string)    { return r.Result, "" }
func (r *CreateRelationResponse) resultOf() (string, string) { return r.Result, r.ErrorMessage }
func (r *UpdateRelationResponse) resultOf() (string, string) { return r.Result, r.ErrorMessage }
