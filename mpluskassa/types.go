package mpluskassa

// Wire types shared by several operations. Field order is the schema's
// xsd:sequence order and must stay so: the server may reject elements out of
// order. Optional elements (minOccurs="0") are pointers or slices, so an
// absent element and a zero value stay distinct; required ones are values and
// always written, empty if need be.

// Text is one entry of a [TextList].
type Text struct {
	Text string `xml:"text"`
}

// TextList is a list of strings (TextList), written as repeated text
// elements. A required TextList is written even when empty.
type TextList struct {
	Text []Text `xml:"text"`
}

// NewTextList returns a TextList holding ss.
func NewTextList(ss ...string) TextList {
	l := TextList{Text: make([]Text, len(ss))}
	for i, s := range ss {
		l.Text[i] = Text{Text: s}
	}
	return l
}

// Strings returns the list's strings.
func (l TextList) Strings() []string {
	out := make([]string, len(l.Text))
	for i, t := range l.Text {
		out[i] = t.Text
	}
	return out
}

// IdList is a list of string ids (IdList).
type IdList struct {
	ID []string `xml:"id"`
}

// CategoryIdSet is a set of category numbers (CategoryIdSet).
type CategoryIdSet struct {
	Category []int `xml:"category"`
}

// YearNumber is a number within a year, e.g. an order number (YearNumber).
type YearNumber struct {
	Year   int   `xml:"year"`
	Number int64 `xml:"number"`
}

// Address is a delivery or invoice address on an order (Address). Street
// and house number share the one address line.
type Address struct {
	AddressID           *string `xml:"addressId,omitempty"`
	Name                *string `xml:"name,omitempty"`
	Contact             *string `xml:"contact,omitempty"`
	Address             *string `xml:"address,omitempty"`
	Zipcode             *string `xml:"zipcode,omitempty"`
	City                *string `xml:"city,omitempty"`
	Country             *string `xml:"country,omitempty"`
	Label               *string `xml:"label,omitempty"`
	CompanyName         *string `xml:"companyName,omitempty"`
	SupplierInformation *string `xml:"supplierInformation,omitempty"`
}

// VatGroup is a VAT rate of a branch (VatGroup). In an order's or invoice's
// vatGroupList it also carries the amounts.
type VatGroup struct {
	BranchNumber *int    `xml:"branchNumber,omitempty"`
	ExtBranchID  *string `xml:"extBranchId,omitempty"`
	CountryCode  *int    `xml:"countryCode,omitempty"`
	CountryIso3  *string `xml:"countryIso3,omitempty"`
	VatCode      int     `xml:"vatCode"`
	// VatPercentage is in whole percent; see [VATPercentage].
	VatPercentage int64 `xml:"vatPercentage"`
	// ExclAmount and VatAmount are in cents.
	ExclAmount    *int64 `xml:"exclAmount,omitempty"`
	VatAmount     *int64 `xml:"vatAmount,omitempty"`
	AccountNumber *int   `xml:"accountNumber,omitempty"`
}

// VatGroupList is an order's list of VAT groups (VatGroupList).
type VatGroupList struct {
	VatGroup []VatGroup `xml:"vatGroup"`
}

// Ptr returns a pointer to v, for the optional fields of the wire types.
func Ptr[T any](v T) *T { return &v }

// val returns *p, or the zero value for nil.
func val[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
