package ccvshop

// PersonalInfo is the personal-info object: an order's customer, a user's
// userinfo and an invoice's customer. Every field is optional (the platform
// sends null or "" for empty ones).
type PersonalInfo struct {
	Billingaddress  *Address `json:"billingaddress,omitempty"`
	Deliveryaddress *Address `json:"deliveryaddress,omitempty"`
	Email           string   `json:"email,omitempty"`
	// Customertype is "b2c" or "b2b".
	Customertype      string `json:"customertype,omitempty"`
	Bankaccount       string `json:"bankaccount,omitempty"`
	Iban              string `json:"iban,omitempty"`
	Bic               string `json:"bic,omitempty"`
	Bankname          string `json:"bankname,omitempty"`
	Reference         string `json:"reference,omitempty"`
	Reservationnumber string `json:"reservationnumber,omitempty"`
	// Btw is the VAT number.
	Btw string `json:"btw,omitempty"`
	// Kvk is the Chamber of Commerce number.
	Kvk        string `json:"kvk,omitempty"`
	Website    string `json:"website,omitempty"`
	Branch     string `json:"branch,omitempty"`
	Birthdate  string `json:"birthdate,omitempty"`
	Birthtime  string `json:"birthtime,omitempty"`
	Birthplace string `json:"birthplace,omitempty"`
	Cardnumber string `json:"cardnumber,omitempty"`
	Costcentre string `json:"costcentre,omitempty"`
	Findus     string `json:"findus,omitempty"`
	Ssnnumber  string `json:"ssnnumber,omitempty"`
	Zzppass    string `json:"zzppass,omitempty"`
	Income     string `json:"income,omitempty"`
	// Deprecated members the platform still sends.
	Bank    string `json:"bank,omitempty"`
	Tenname string `json:"tenname,omitempty"`
	Branche string `json:"branche,omitempty"`
	Beurs   string `json:"beurs,omitempty"`
	Stand   string `json:"stand,omitempty"`
	// Invoice e-mail addresses seen in captured 2022 payloads (not in the
	// 2022 schema).
	EmailInvoice        string `json:"email_invoice,omitempty"`
	EmailInvoiceCompany string `json:"email_invoice_company,omitempty"`
	EmailInvoiceUnion   string `json:"email_invoice_union,omitempty"`
}

// Address is a billing or delivery address. The platform offers either
// AddressLine1/2 or Street + Housenumber (+ HousenumberSuffix); real payloads
// fill both. Housenumber is an integer: letters go in HousenumberSuffix.
// Delivery addresses have no FirstName, LastName or Fax.
type Address struct {
	Gender            string `json:"gender,omitempty"`
	Initials          string `json:"initials,omitempty"`
	FirstName         string `json:"first_name,omitempty"`
	LastName          string `json:"last_name,omitempty"`
	FullName          string `json:"full_name,omitempty"`
	Company           string `json:"company,omitempty"`
	AddressLine1      string `json:"address_line_1,omitempty"`
	AddressLine2      string `json:"address_line_2,omitempty"`
	Street            string `json:"street,omitempty"`
	Housenumber       Int    `json:"housenumber,omitempty"`
	HousenumberSuffix string `json:"housenumber_suffix,omitempty"`
	Zipcode           string `json:"zipcode,omitempty"`
	City              string `json:"city,omitempty"`
	Province          string `json:"province,omitempty"`
	// Country is the country's full name (deprecated on input).
	Country string `json:"country,omitempty"`
	// CountryCode is ISO 3166-1 alpha-2.
	CountryCode string `json:"country_code,omitempty"`
	Telephone   string `json:"telephone,omitempty"`
	Mobile      string `json:"mobile,omitempty"`
	Fax         string `json:"fax,omitempty"`
	Comment     string `json:"comment,omitempty"`
}

// PickupAddress is the pick-up point of an order with a pick-up delivery
// option.
type PickupAddress struct {
	Company           string `json:"company,omitempty"`
	Street            string `json:"street,omitempty"`
	Housenumber       Int    `json:"housenumber,omitempty"`
	HousenumberSuffix string `json:"housenumber_suffix,omitempty"`
	Zipcode           string `json:"zipcode,omitempty"`
	City              string `json:"city,omitempty"`
	Country           string `json:"country,omitempty"`
	Code              string `json:"code,omitempty"`
}
