package ccvshop

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/tradelink/tradelink/connector"
)

// addressFromWire converts an address. Street, house number and suffix
// stay apart; an address given only as address_line_1/2 keeps those lines.
// A delivery address has no names (quirk 6): they come from fallback, the
// billing address.
func addressFromWire(a *Address, fallback *Address) connector.Address {
	out := connector.Address{
		CompanyName: a.Company, FirstName: a.FirstName, LastName: a.LastName,
		PostalCode: strings.TrimSpace(a.Zipcode), City: a.City, Region: a.Province,
		Country: strings.ToUpper(strings.TrimSpace(a.CountryCode)), Phone: a.Telephone,
	}
	if out.Phone == "" {
		out.Phone = a.Mobile
	}
	if a.Street != "" {
		out.Street = a.Street
		if a.Housenumber != 0 {
			out.HouseNumber = a.Housenumber.String()
		}
		out.HouseNumberSuffix = strings.TrimSpace(a.HousenumberSuffix)
		out.Street2 = a.AddressLine2
	} else {
		out.Street, out.Street2 = a.AddressLine1, a.AddressLine2
	}
	if out.FirstName == "" && out.LastName == "" && fallback != nil {
		out.FirstName, out.LastName = fallback.FirstName, fallback.LastName
	}
	if out.FirstName == "" && out.LastName == "" && a.FullName != "" {
		out.LastName = a.FullName
	}
	return out
}

// addressToWire converts an address; billing addresses carry the person's
// names, delivery addresses only a full name (their schema has no first and
// last name). The house number is an integer on the wire: its digits go in
// housenumber and anything after them in housenumber_suffix.
func addressToWire(a connector.Address, c *connector.Customer, billing bool) *Address {
	out := &Address{
		Company: a.CompanyName, Zipcode: a.PostalCode, City: a.City, Province: a.Region,
		CountryCode: a.Country, Telephone: a.Phone, Street: a.Street, AddressLine2: a.Street2,
	}
	first, last := a.FirstName, a.LastName
	if first == "" && last == "" && c != nil {
		first, last = c.FirstName, c.LastName
	}
	if out.Company == "" && c != nil {
		out.Company = c.CompanyName
	}
	if out.Telephone == "" && c != nil {
		out.Telephone = c.Phone
	}
	if billing {
		out.FirstName, out.LastName = first, last
	} else {
		out.FullName = strings.TrimSpace(first + " " + last)
	}
	num, suffix := splitHouseNumber(a.HouseNumber)
	out.Housenumber = Int(num)
	out.HousenumberSuffix = strings.TrimSpace(strings.TrimSpace(suffix + " " + a.HouseNumberSuffix))
	if a.Street != "" {
		out.AddressLine1 = a.StreetLine()
	}
	if num == 0 && a.HouseNumber != "" {
		// No digits: keep the number as written in the one-line form.
		out.HousenumberSuffix = ""
		out.AddressLine1 = strings.TrimSpace(a.Street + " " + a.HouseNumber + " " + a.HouseNumberSuffix)
	}
	return out
}

// splitHouseNumber splits "12a" into 12 and "a"; a number without leading
// digits gives 0.
func splitHouseNumber(s string) (int64, string) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, s
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, s
	}
	return n, strings.TrimLeft(strings.TrimSpace(s[i:]), "-")
}

// customerFromInfo converts a personal-info object.
func customerFromInfo(p *PersonalInfo) connector.Customer {
	c := connector.Customer{Email: strings.TrimSpace(p.Email), VATNumber: p.Btw, CoCNumber: p.Kvk, Active: true}
	if b := p.Billingaddress; b != nil {
		c.BillingAddress = addressFromWire(b, nil)
		c.CompanyName, c.FirstName, c.LastName = b.Company, b.FirstName, b.LastName
		c.Phone = c.BillingAddress.Phone
	}
	if d := p.Deliveryaddress; d != nil {
		c.ShippingAddress = addressFromWire(d, p.Billingaddress)
	}
	return c
}

// CustomerFromUser converts a user. Its e-mail address is the userinfo's,
// else the username when that is an address.
func CustomerFromUser(u *User) connector.Customer {
	var c connector.Customer
	if u.Userinfo != nil {
		c = customerFromInfo(u.Userinfo)
	}
	if c.Email == "" && strings.Contains(u.Username, "@") {
		c.Email = u.Username
	}
	c.ID = idString(u.ID)
	c.Active = u.Status
	c.CustomFields = map[string]string{"username": u.Username}
	if u.ApprovalStatus != "" {
		c.CustomFields["approval_status"] = u.ApprovalStatus
	}
	if u.GroupID != 0 {
		c.CustomFields["group_id"] = u.GroupID.String()
	}
	return c
}

// infoFromCustomer writes c over existing (kept for fields the canonical
// model lacks; nil starts empty).
func infoFromCustomer(c *connector.Customer, existing *PersonalInfo) *PersonalInfo {
	var info PersonalInfo
	if existing != nil {
		info = *existing
	}
	info.Email = c.Email
	if c.VATNumber != "" {
		info.Btw = c.VATNumber
	}
	if c.CoCNumber != "" {
		info.Kvk = c.CoCNumber
	}
	info.Customertype = "b2c"
	if c.IsCompany() {
		info.Customertype = "b2b"
	}
	bill := c.BillingAddress
	info.Billingaddress = mergeAddress(info.Billingaddress, addressToWire(bill, c, true))
	if !c.ShippingAddress.IsZero() {
		info.Deliveryaddress = mergeAddress(info.Deliveryaddress, addressToWire(c.ShippingAddress, c, false))
	}
	return &info
}

// mergeAddress keeps what old has beyond the canonical model (gender,
// initials, mobile, fax, comment).
func mergeAddress(old, updated *Address) *Address {
	if old != nil {
		updated.Gender, updated.Initials, updated.Mobile, updated.Fax, updated.Comment =
			old.Gender, old.Initials, old.Mobile, old.Fax, old.Comment
	}
	return updated
}

// Customers streams the shop's users. UpdatedSince cannot be honoured:
// users have no change date and /users/ no change filter, so every user is
// streamed (flows skip unchanged records by content hash).
func (c *Connector) Customers(ctx context.Context, q connector.CustomerQuery) iter.Seq2[connector.Customer, error] {
	return func(yield func(connector.Customer, error) bool) {
		opts := &UserListOptions{Paging: Paging{Size: c.pageSize(q.PageSize)}, OrderBy: "id"}
		for u, err := range c.c.Users.All(ctx, opts) {
			if err != nil {
				yield(connector.Customer{}, err)
				return
			}
			if !yield(CustomerFromUser(&u), nil) {
				return
			}
		}
	}
}

// emailKeys are the index keys of a user: the userinfo e-mail and the
// username when it is an address, both lower-cased.
func emailKeys(u *User) []string {
	var keys []string
	if u.Userinfo != nil && u.Userinfo.Email != "" {
		keys = append(keys, strings.ToLower(strings.TrimSpace(u.Userinfo.Email)))
	}
	if strings.Contains(u.Username, "@") {
		keys = append(keys, strings.ToLower(strings.TrimSpace(u.Username)))
	}
	return keys
}

// FindCustomerByEmail finds the user whose e-mail address (userinfo email or
// username) equals email, ignoring case, never partially.
//
// GET /users/ has no e-mail filter (only approval_status), so the narrowest
// lookup the API allows is a scan of /users/ with the largest page size;
// the connector keeps the result as an index and afterwards, on a miss,
// reads only users newer than the newest it has seen (usually one request).
// A hit is confirmed with GET /users/{id}/.
func (c *Connector) FindCustomerByEmail(ctx context.Context, email string) (connector.Customer, error) {
	key := strings.ToLower(strings.TrimSpace(email))
	if key == "" {
		return connector.Customer{}, fmt.Errorf("ccvshop: empty e-mail address: %w", connector.ErrNotFound)
	}
	var found *User
	id, err := c.emails.find(ctx, key, c.scanUsers, func(id int64) (bool, error) {
		u, err := c.c.Users.Get(ctx, id)
		if err != nil {
			return false, err
		}
		found = u
		for _, k := range emailKeys(u) {
			if k == key {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return connector.Customer{}, err
	}
	if id == 0 || found == nil {
		return connector.Customer{}, fmt.Errorf("ccvshop: customer by e-mail: %w", connector.ErrNotFound)
	}
	return CustomerFromUser(found), nil
}

func (c *Connector) scanUsers(ctx context.Context, newerThan int64, visit func(int64, ...string)) error {
	for u, err := range c.c.Users.All(ctx, &UserListOptions{Paging: Paging{Size: 250}, OrderBy: "id_desc"}) {
		if err != nil {
			return err
		}
		if int64(u.ID) <= newerThan {
			return nil
		}
		visit(int64(u.ID), emailKeys(&u)...)
	}
	return nil
}

// CreateCustomer creates a shop user. The e-mail address is the username
// (required and unique in a shop); the user gets a random password and can
// set one with the shop's password reset.
func (c *Connector) CreateCustomer(ctx context.Context, cu connector.Customer) (connector.Customer, error) {
	if err := cu.Validate(); err != nil {
		return connector.Customer{}, err
	}
	if strings.TrimSpace(cu.Email) == "" {
		return connector.Customer{}, validation("customer "+strconv.Quote(cu.ID), "Email",
			"is required: a CCV Shop user's username is its e-mail address")
	}
	pw, err := randomPassword()
	if err != nil {
		return connector.Customer{}, err
	}
	in := &UserInput{Username: strings.TrimSpace(cu.Email), Password: pw, Status: Bool(true),
		Userinfo: infoFromCustomer(&cu, nil)}
	u, err := c.c.Users.Create(ctx, in)
	if err != nil {
		return connector.Customer{}, err
	}
	if u.ID == 0 {
		return c.FindCustomerByEmail(ctx, cu.Email)
	}
	c.emails.add(int64(u.ID), emailKeys(u)...)
	out := cu
	out.ID = idString(u.ID)
	return out, nil
}

func randomPassword() (WireSecret, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("ccvshop: generate password: %w", err)
	}
	return WireSecret(base64.RawURLEncoding.EncodeToString(b)), nil
}

// UpdateCustomer writes cu over user cu.ID: it reads the user and patches
// its userinfo with the canonical fields, keeping the rest. When the
// username was the old e-mail address it follows the new one.
func (c *Connector) UpdateCustomer(ctx context.Context, cu connector.Customer) (connector.Customer, error) {
	if err := cu.Validate(); err != nil {
		return connector.Customer{}, err
	}
	id, err := parseID("customer", cu.ID)
	if err != nil {
		return connector.Customer{}, err
	}
	u, err := c.c.Users.Get(ctx, id)
	if err != nil {
		return connector.Customer{}, err
	}
	old := emailKeys(u)
	in := &UserInput{Userinfo: infoFromCustomer(&cu, u.Userinfo)}
	if cu.Email != "" && strings.Contains(u.Username, "@") && !strings.EqualFold(u.Username, cu.Email) {
		oldEmail := ""
		if u.Userinfo != nil {
			oldEmail = u.Userinfo.Email
		}
		if strings.EqualFold(u.Username, oldEmail) {
			in.Username = cu.Email
		}
	}
	if err := c.c.Users.Update(ctx, id, in); err != nil {
		return connector.Customer{}, err
	}
	c.emails.drop(id, old...)
	u.Userinfo = in.Userinfo
	if in.Username != "" {
		u.Username = in.Username
	}
	c.emails.add(id, emailKeys(u)...)
	return cu, nil
}
