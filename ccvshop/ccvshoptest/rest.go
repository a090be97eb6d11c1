package ccvshoptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/verto"
	"github.com/tradelink/tradelink/internal/verto/vertotest"
)

// patch serves PATCH <resource>/{id}/: it decodes the body strictly, finds
// the item (404 when unknown) and applies the body under the state lock.
func patch[T, In any](s *Server, name string, items func() map[int64]*T, apply func(id int64, v *T, in *In) reply) vertotest.Handler {
	return func(r *request) reply {
		id, _ := pathID(r)
		var in In
		if _, b := decode(r, &in); bad(b) {
			return *b
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		v, ok := items()[id]
		if !ok {
			return notFound(name, r.PathValue("id"))
		}
		return apply(id, v, &in)
	}
}

// deleter serves DELETE <resource>/{id}/: remove deletes the item under
// the state lock and reports whether it existed (404 when not).
func deleter(s *Server, name string, remove func(id int64) bool) handler {
	return func(r *request) reply {
		id, _ := pathID(r)
		s.mu.Lock()
		defer s.mu.Unlock()
		if !remove(id) {
			return notFound(name, r.PathValue("id"))
		}
		return noContent()
	}
}

// getter serves GET <resource>/{id}/ from one map of the state.
func getter[T any](s *Server, name string, items func() map[int64]*T) vertotest.Handler {
	return func(r *request) reply {
		id, _ := pathID(r)
		s.mu.Lock()
		defer s.mu.Unlock()
		v, ok := items()[id]
		if !ok {
			return notFound(name, r.PathValue("id"))
		}
		return okJSON(*v)
	}
}

// children serves a parent's sub-collection (GET <parent>/{id}/<children>/):
// 404 for an unknown parent, else one page of the children in order.
func children[T any](s *Server, parent string, exists func(id int64) bool, ids func(id int64) []int64,
	items func() map[int64]*T) vertotest.Handler {
	return func(r *request) reply {
		id, _ := pathID(r)
		s.mu.Lock()
		if !exists(id) {
			s.mu.Unlock()
			return notFound(parent, r.PathValue("id"))
		}
		out := collect(ids(id), items())
		s.mu.Unlock()
		return paginate(r, out)
	}
}

// flat serves a top-level collection in id order.
func flat[T any](s *Server, ids func() []int64, items func() map[int64]*T) vertotest.Handler {
	return func(r *request) reply {
		s.mu.Lock()
		out := collect(ids(), items())
		s.mu.Unlock()
		return paginate(r, out)
	}
}

// collect copies the items with the given ids, in that order.
func collect[T any](ids []int64, items map[int64]*T) []T {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if v, ok := items[id]; ok {
			out = append(out, *v)
		}
	}
	return out
}

func (s *Server) productExists(id int64) bool   { _, ok := s.products[id]; return ok }
func (s *Server) attributeExists(id int64) bool { _, ok := s.attrs[id]; return ok }
func (s *Server) orderExists(id int64) bool     { _, ok := s.orders[id]; return ok }
func (s *Server) invoiceExists(id int64) bool   { _, ok := s.invoices[id]; return ok }

// listInvoiceRows serves an invoice's rows (stored as values, not by id).
func (s *Server) listInvoiceRows() vertotest.Handler {
	return func(r *request) reply {
		id, _ := pathID(r)
		s.mu.Lock()
		if !s.invoiceExists(id) {
			s.mu.Unlock()
			return notFound("invoice", r.PathValue("id"))
		}
		out := append([]ccvshop.InvoiceRow(nil), s.invoiceRows[id]...)
		s.mu.Unlock()
		return paginate(r, out)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func paginate[T any](r *request, items []T) reply { return vertotest.Paginate(r, items) }

func vertotestFail(status int, code, msg string) reply { return vertotest.Fail(status, code, msg) }

// routes registers every resource the fake serves.
func (s *Server) routes() {
	h := s.core.Handle
	h("GET orders/", s.listOrders)
	h("POST orders/", s.createOrder)
	h("GET orders/{id}/", s.getOrder)
	h("PATCH orders/{id}/", s.patchOrder)
	h("GET orders/{id}/orderrows/", children(s, "order", s.orderExists, func(id int64) []int64 { return s.rowsByOrder[id] }, func() map[int64]*ccvshop.OrderRow { return s.rows }))
	h("POST orders/{id}/orderrows/", s.createOrderRow)
	h("PUT orders/{id}/orderrows/", s.replaceOrderRows)
	h("GET orderrows/{id}/", getter(s, "orderrow", func() map[int64]*ccvshop.OrderRow { return s.rows }))
	h("PATCH orderrows/{id}/", s.patchOrderRow())
	h("DELETE orderrows/{id}/", s.deleteOrderRow)
	h("GET orders/{id}/invoices/", s.listOrderInvoices)
	h("POST orders/{id}/invoices/", s.createInvoice)

	h("GET users/", s.listUsers)
	h("POST users/", s.createUser)
	h("GET users/{id}/", getter(s, "user", func() map[int64]*ccvshop.User { return s.users }))
	h("PATCH users/{id}/", s.patchUser())
	h("DELETE users/{id}/", s.deleteUser())

	h("GET products/", s.listProducts)
	h("POST products/", s.createProduct)
	h("GET products/{id}/", s.getProduct)
	h("PATCH products/{id}/", s.patchProduct)
	h("DELETE products/{id}/", s.deleteProduct)
	h("GET categories/{id}/products/", s.listProducts)
	h("GET productqueries/", s.productQueries)
	h("GET products/{id}/attributecombinations/", children(s, "product", s.productExists, func(id int64) []int64 { return s.combosBy[id] }, func() map[int64]*ccvshop.AttributeCombination { return s.combos }))
	h("GET attributecombinations/{id}/", getter(s, "attributecombination", func() map[int64]*ccvshop.AttributeCombination { return s.combos }))
	h("PATCH attributecombinations/{id}/", s.patchCombination())
	h("GET products/{id}/productattributevalues/", children(s, "product", s.productExists, func(id int64) []int64 { return s.pavsBy[id] }, func() map[int64]*ccvshop.ProductAttributeValue { return s.pavs }))
	h("POST products/{id}/productattributevalues/", s.createPAV)
	h("GET productattributevalues/{id}/", getter(s, "productattributevalue", func() map[int64]*ccvshop.ProductAttributeValue { return s.pavs }))
	h("PATCH productattributevalues/{id}/", s.patchPAV())
	h("DELETE productattributevalues/{id}/", s.deletePAV)
	h("GET attributes/", flat(s, func() []int64 { return s.attrIDs }, func() map[int64]*ccvshop.Attribute { return s.attrs }))
	h("POST attributes/", s.createAttribute)
	h("GET attributes/{id}/", getter(s, "attribute", func() map[int64]*ccvshop.Attribute { return s.attrs }))
	h("PATCH attributes/{id}/", s.patchAttribute())
	h("DELETE attributes/{id}/", s.deleteAttribute)
	h("GET attributes/{id}/attributevalues/", children(s, "attribute", s.attributeExists, func(id int64) []int64 { return s.valuesBy[id] }, func() map[int64]*ccvshop.AttributeValue { return s.values }))
	h("POST attributes/{id}/attributevalues/", s.createValue)
	h("GET attributevalues/{id}/", getter(s, "attributevalue", func() map[int64]*ccvshop.AttributeValue { return s.values }))
	h("PATCH attributevalues/{id}/", s.patchValue())
	h("DELETE attributevalues/{id}/", s.deleteValue)

	h("GET categories/", s.listCategories)
	h("POST categories/", s.createCategory)
	h("GET categories/{id}/", getter(s, "category", func() map[int64]*ccvshop.Category { return s.categories }))
	h("PATCH categories/{id}/", s.patchCategory())
	h("DELETE categories/{id}/", s.deleteCategory)
	h("GET categories/{id}/categories/", s.listCategories)
	h("GET products/{id}/producttocategories/", s.listLinks(true))
	h("GET categories/{id}/producttocategories/", s.listLinks(false))
	h("POST producttocategories/", s.createLink)
	h("GET producttocategories/{id}/", getter(s, "producttocategory", func() map[int64]*ccvshop.ProductToCategory { return s.p2c }))
	h("PATCH producttocategories/{id}/", s.patchLink())
	h("DELETE producttocategories/{id}/", s.deleteLink())

	h("GET products/{id}/productphotos/", s.listPhotos)
	h("POST products/{id}/productphotos/", s.createPhoto)
	h("PUT products/{id}/productphotos/", s.replacePhotos)
	h("GET productphotos/{id}/", getter(s, "productphoto", func() map[int64]*ccvshop.ProductPhoto { return s.photos }))
	h("PATCH productphotos/{id}/", s.patchPhoto())
	h("DELETE productphotos/{id}/", s.deletePhoto)

	h("GET webhooks/", flat(s, func() []int64 { return s.webhookIDs }, func() map[int64]*ccvshop.Webhook { return s.webhooks }))
	h("POST webhooks/", s.createWebhook)
	h("GET webhooks/{id}/", getter(s, "webhook", func() map[int64]*ccvshop.Webhook { return s.webhooks }))
	h("PATCH webhooks/{id}/", s.patchWebhook())
	h("DELETE webhooks/{id}/", s.deleteWebhook())

	h("GET invoices/", s.listInvoices)
	h("GET invoices/{id}/", getter(s, "invoice", func() map[int64]*ccvshop.Invoice { return s.invoices }))
	h("PATCH invoices/{id}/", s.patchInvoice)
	h("GET invoices/{id}/invoicerows/", s.listInvoiceRows())

	h("GET paymethods/", s.listPaymethods)
	h("GET packages/", s.listPackages)
	h("POST packages/", s.createPackage)
	h("GET packages/{id}/", s.getPackage)
	h("PATCH packages/{id}/", s.patchPackage)
}

func (s *Server) packageView(id int64) ccvshop.Package {
	return ccvshop.Package{ID: verto.Int(id), Href: s.link("packages/%d/", id), Name: s.packages[id]}
}

func (s *Server) listPackages(r *request) reply {
	s.mu.Lock()
	ids := make([]int64, 0, len(s.packages))
	for id := range s.packages {
		ids = insertID(ids, id)
	}
	out := make([]ccvshop.Package, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.packageView(id))
	}
	s.mu.Unlock()
	return paginate(r, out)
}

func (s *Server) getPackage(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.packages[id]; !ok {
		return notFound("package", r.PathValue("id"))
	}
	return okJSON(s.packageView(id))
}

func (s *Server) createPackage(r *request) reply {
	var in ccvshop.PackageInput
	if b := decodeRequired(r, &in, "package", "name"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	s.packages[id] = in.Name
	return created(s.packageView(id))
}

func (s *Server) patchPackage(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.PackageInput
	if _, b := decode(r, &in); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.packages[id]; !ok {
		return notFound("package", r.PathValue("id"))
	}
	if in.Name != "" {
		s.packages[id] = in.Name
	}
	return noContent()
}

// AddUser seeds a user, bypassing HTTP, and returns it. Usernames must be
// unique; a duplicate is returned unchanged with ok false.
func (s *Server) AddUser(u ccvshop.User) (ccvshop.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usernameTaken(u.Username, 0) {
		return u, false
	}
	return *s.insertUser(u), true
}

// User returns a stored user.
func (s *Server) User(id int64) (ccvshop.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return ccvshop.User{}, false
	}
	return *u, true
}

func (s *Server) usernameTaken(name string, except int64) bool {
	for id, u := range s.users {
		if id != except && strings.EqualFold(u.Username, name) {
			return true
		}
	}
	return false
}

func (s *Server) insertUser(u ccvshop.User) *ccvshop.User {
	id := s.useID(int64(u.ID))
	u.ID = verto.Int(id)
	u.Href = s.link("users/%d/", id)
	if u.ApprovalStatus == "" {
		u.ApprovalStatus = "accepted"
	}
	if u.ProductInCategoryDiscount == "" {
		u.ProductInCategoryDiscount = "highest"
	}
	u.Creditpoints = &ccvshop.Link{Href: s.link("users/%d/creditpoints/", id)}
	u.Creditpointmutations = &ccvshop.Link{Href: s.link("users/%d/creditpointmutations/", id)}
	u.Disabledpaymethods = &ccvshop.Link{Href: s.link("users/%d/disabledpaymethods/", id)}
	stored := u
	s.users[id] = &stored
	s.userIDs = insertID(s.userIDs, id)
	return &stored
}

func (s *Server) listUsers(r *request) reply {
	q := r.URL.Query()
	approval := q.Get("approval_status")
	if approval != "" && approval != "pending" && approval != "accepted" {
		return invalid("filter approval_status must be pending or accepted")
	}
	s.mu.Lock()
	var out []ccvshop.User
	for _, id := range s.userIDs {
		u := s.users[id]
		if approval != "" && u.ApprovalStatus != approval {
			continue
		}
		out = append(out, *u)
	}
	s.mu.Unlock()
	name := func(u ccvshop.User, first bool) string {
		if u.Userinfo == nil || u.Userinfo.Billingaddress == nil {
			return ""
		}
		if first {
			return u.Userinfo.Billingaddress.FirstName
		}
		return u.Userinfo.Billingaddress.LastName
	}
	if b := sortItems(out, q.Get("orderby"), []string{"id", "first_name", "last_name"},
		func(a, b ccvshop.User, f string) int {
			switch f {
			case "first_name", "last_name":
				if c := strings.Compare(name(a, f == "first_name"), name(b, f == "first_name")); c != 0 {
					return c
				}
			}
			return cmpInt(int64(a.ID), int64(b.ID))
		}); bad(b) {
		return *b
	}
	return paginate(r, out)
}

func (s *Server) createUser(r *request) reply {
	var in ccvshop.UserInput
	if b := decodeRequired(r, &in, "user", "username", "password"); bad(b) {
		return *b
	}
	if strings.TrimSpace(in.Username) == "" || len(in.Password) < 6 {
		return invalid("user: username must not be empty and password needs at least 6 characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usernameTaken(in.Username, 0) {
		return vertotestFail(500, verto.CodePropertyExists, "user: username already exists")
	}
	u := ccvshop.User{Username: in.Username, GroupID: in.GroupID, Status: true,
		ProductInCategoryDiscount: in.ProductInCategoryDiscount, Userinfo: in.Userinfo}
	if in.Status != nil {
		u.Status = *in.Status
	}
	return created(*s.insertUser(u))
}

func (s *Server) patchUser() vertotest.Handler {
	return patch(s, "user", func() map[int64]*ccvshop.User { return s.users },
		func(id int64, u *ccvshop.User, in *ccvshop.UserInput) reply {
			if in.Username != "" {
				if s.usernameTaken(in.Username, id) {
					return vertotestFail(500, verto.CodePropertyExists, "user: username already exists")
				}
				u.Username = in.Username
			}
			if in.GroupID != 0 {
				u.GroupID = in.GroupID
			}
			if in.Status != nil {
				u.Status = *in.Status
			}
			if in.ProductInCategoryDiscount != "" {
				u.ProductInCategoryDiscount = in.ProductInCategoryDiscount
			}
			if in.Userinfo != nil {
				u.Userinfo = in.Userinfo
			}
			return noContent()
		})
}

func (s *Server) deleteUser() handler {
	return deleter(s, "user", func(id int64) bool {
		_, ok := s.users[id]
		delete(s.users, id)
		s.userIDs = removeID(s.userIDs, id)
		return ok
	})
}

// Photos.

func (s *Server) listPhotos(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	if _, ok := s.products[id]; !ok {
		s.mu.Unlock()
		return notFound("product", r.PathValue("id"))
	}
	out := collect(s.photosBy[id], s.photos)
	s.mu.Unlock()
	if b := sortItems(out, r.URL.Query().Get("orderby"), []string{"id", "ismainphoto"},
		func(a, b ccvshop.ProductPhoto, f string) int {
			if f == "ismainphoto" && a.IsMainphoto != b.IsMainphoto {
				if a.IsMainphoto {
					return 1
				}
				return -1
			}
			return cmpInt(int64(a.ID), int64(b.ID))
		}); bad(b) {
		return *b
	}
	return paginate(r, out)
}

var photoTypes = map[string]bool{"jpg": true, "jpeg": true, "png": true, "gif": true, "webp": true}

// addPhoto validates and stores one uploaded photo.
func (s *Server) addPhoto(productID int64, in ccvshop.ProductPhotoInput, i int) (*ccvshop.ProductPhoto, *reply) {
	if strings.HasPrefix(in.Source, "data:") {
		rep := vertotestFail(500, "500.22", "source must be plain base64 without a data: prefix")
		return nil, &rep
	}
	data, err := base64.StdEncoding.DecodeString(in.Source)
	if err != nil || len(data) == 0 {
		rep := vertotestFail(500, "500.22", "source is not base64 file content")
		return nil, &rep
	}
	if !photoTypes[in.FileType] {
		rep := vertotestFail(500, "500.22", "file_type "+in.FileType+" is not an image type")
		return nil, &rep
	}
	id := s.id()
	main := in.IsMainphoto != nil && *in.IsMainphoto
	if len(s.photosBy[productID]) == 0 && i == 0 {
		main = true
	}
	if main {
		for _, ph := range s.photosBy[productID] {
			s.photos[ph].IsMainphoto = false
		}
	}
	ph := &ccvshop.ProductPhoto{ID: verto.Int(id), Href: s.link("productphotos/%d/", id),
		Filename: strings.TrimSuffix(hex.EncodeToString(data[:min(len(data), 6)]), "") + "." + in.FileType,
		Alttext:  in.Alttext, IsMainphoto: main, Deeplink: s.URL() + "/images/" + hex.EncodeToString([]byte{byte(id)}) + "." + in.FileType,
		Parent: &ccvshop.Link{Href: s.link("products/%d/", productID)}}
	s.photos[id] = ph
	s.photosBy[productID] = append(s.photosBy[productID], id)
	return ph, nil
}

func (s *Server) createPhoto(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.ProductPhotoInput
	if b := decodeRequired(r, &in, "productphoto", "source", "file_type"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.products[id]; !ok {
		return notFound("product", r.PathValue("id"))
	}
	ph, b := s.addPhoto(id, in, 0)
	if bad(b) {
		return *b
	}
	return created(*ph)
}

func (s *Server) replacePhotos(r *request) reply {
	id, _ := pathID(r)
	var in struct {
		Productphotos []ccvshop.ProductPhotoInput `json:"productphotos"`
	}
	if b := decodeRequired(r, &in, "productphotos", "productphotos"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.products[id]; !ok {
		return notFound("product", r.PathValue("id"))
	}
	old := s.photosBy[id]
	s.photosBy[id] = nil
	for i, p := range in.Productphotos {
		if _, b := s.addPhoto(id, p, i); bad(b) {
			for _, ph := range s.photosBy[id] {
				delete(s.photos, ph)
			}
			s.photosBy[id] = old
			return *b
		}
	}
	for _, ph := range old {
		delete(s.photos, ph)
	}
	return noContent()
}

func (s *Server) patchPhoto() vertotest.Handler {
	return patch(s, "productphoto", func() map[int64]*ccvshop.ProductPhoto { return s.photos },
		func(id int64, ph *ccvshop.ProductPhoto, in *ccvshop.ProductPhotoPatch) reply {
			if in.Alttext != "" {
				ph.Alttext = in.Alttext
			}
			if in.IsMainphoto != nil && *in.IsMainphoto {
				for _, list := range s.photosBy {
					for _, x := range list {
						if x == id {
							for _, other := range list {
								s.photos[other].IsMainphoto = false
							}
						}
					}
				}
				ph.IsMainphoto = true
			}
			return noContent()
		})
}

func (s *Server) deletePhoto(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.photos[id]; !ok {
		return notFound("productphoto", r.PathValue("id"))
	}
	delete(s.photos, id)
	for pid, list := range s.photosBy {
		s.photosBy[pid] = removeFrom(list, id)
	}
	return noContent()
}

// Webhooks.

// Delivery is one webhook delivery the fake attempted.
type Delivery struct {
	Event   string
	Address string
	// Body is the delivery sent; Status the receiver's HTTP status (0 when
	// it could not be reached).
	Body   []byte
	Status int
	Err    error
}

// Deliveries returns the webhook deliveries attempted so far (wait for
// them with FlushWebhooks).
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// FlushWebhooks waits until every webhook delivery started so far is done.
func (s *Server) FlushWebhooks() { s.pending.Wait() }

// notify POSTs a delivery to every active webhook of event, signed with the
// webhook's key (see ccvshop.WebhookSignature), in the background.
func (s *Server) notify(event string, payload map[string]any) {
	s.mu.Lock()
	var targets []ccvshop.Webhook
	for _, id := range s.webhookIDs {
		if w := s.webhooks[id]; w.IsActive && w.Event == event {
			targets = append(targets, *w)
		}
	}
	s.mu.Unlock()
	if len(targets) == 0 {
		return
	}
	payload["triggered_at"] = s.stamp()
	body, err := json.Marshal(payload)
	if err != nil {
		return
	}
	for _, w := range targets {
		s.pending.Add(1)
		go func(w ccvshop.Webhook) {
			defer s.pending.Done()
			d := Delivery{Event: event, Address: w.Address, Body: body}
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, w.Address, bytes.NewReader(body))
			if err == nil {
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("x-hash", ccvshop.WebhookSignature(connector.Secret(w.Key.Reveal()), w.Address, body))
				var resp *http.Response
				if resp, err = s.hookClient.Do(req); err == nil {
					d.Status = resp.StatusCode
					resp.Body.Close()
				}
			}
			d.Err = err
			s.mu.Lock()
			s.deliveries = append(s.deliveries, d)
			s.mu.Unlock()
		}(w)
	}
}

// webhookEvents are the events the fake accepts on create.
var webhookEvents = map[string]bool{
	ccvshop.EventOrderCreated: true, ccvshop.EventOrderPaid: true, ccvshop.EventOrderStatusChanged: true,
	ccvshop.EventOrderTrackAndTrace: true, ccvshop.EventOrderDeleted: true, ccvshop.EventInvoiceStatusChanged: true,
	ccvshop.EventProductCreated: true, ccvshop.EventProductUpdated: true, ccvshop.EventProductDeleted: true,
	ccvshop.EventCategoryCreated: true, ccvshop.EventCategoryUpdated: true, ccvshop.EventCategoryDeleted: true,
	ccvshop.EventReturnCreated: true, ccvshop.EventReturnUpdated: true, ccvshop.EventReturnDeleted: true,
}

func validAddress(a string) bool {
	return strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://")
}

func (s *Server) createWebhook(r *request) reply {
	var in ccvshop.WebhookInput
	if b := decodeRequired(r, &in, "webhook", "event", "address"); bad(b) {
		return *b
	}
	if !webhookEvents[in.Event] {
		return invalid("webhook: event %q is unknown", in.Event)
	}
	if !validAddress(in.Address) {
		return invalid("webhook: address must be an http(s) URL")
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	w := &ccvshop.Webhook{ID: verto.Int(id), Href: s.link("webhooks/%d/", id), Createdate: s.stamp(),
		Event: in.Event, Address: in.Address, Key: ccvshop.WireSecret(hex.EncodeToString(key)), IsActive: true}
	if in.IsActive != nil {
		w.IsActive = *in.IsActive
	}
	s.webhooks[id] = w
	s.webhookIDs = insertID(s.webhookIDs, id)
	return created(*w)
}

func (s *Server) patchWebhook() vertotest.Handler {
	return patch(s, "webhook", func() map[int64]*ccvshop.Webhook { return s.webhooks },
		func(_ int64, w *ccvshop.Webhook, in *ccvshop.WebhookPatch) reply {
			if in.Address != "" {
				if !validAddress(in.Address) {
					return invalid("webhook: address must be an http(s) URL")
				}
				w.Address = in.Address
			}
			if in.IsActive != nil {
				w.IsActive = *in.IsActive
			}
			return noContent()
		})
}

func (s *Server) deleteWebhook() handler {
	return deleter(s, "webhook", func(id int64) bool {
		_, ok := s.webhooks[id]
		delete(s.webhooks, id)
		s.webhookIDs = removeID(s.webhookIDs, id)
		return ok
	})
}

// Invoices and payment methods.

func (s *Server) listInvoices(r *request) reply {
	q := r.URL.Query()
	invN, hasInvN, b1 := intParam(q, "invoicenumber")
	ordN, hasOrdN, b2 := intParam(q, "ordernumber")
	minDay, b3 := dayParam(q, "min_create_date")
	maxDay, b4 := dayParam(q, "max_create_date")
	for _, b := range []*reply{b1, b2, b3, b4} {
		if bad(b) {
			return *b
		}
	}
	status := q.Get("status")
	if status != "" && status != "paid" && status != "unpaid" && status != "reimbursed" {
		return invalid("filter status must be paid, unpaid or reimbursed")
	}
	s.mu.Lock()
	var out []ccvshop.Invoice
	for _, id := range s.invoiceIDs {
		in := s.invoices[id]
		day := dayOf(in.CreateDate)
		switch {
		case hasInvN && int64(in.Invoicenumber) != invN,
			hasOrdN && int64(in.Ordernumber) != ordN,
			q.Get("invoicenumber_full") != "" && in.InvoicenumberFull != q.Get("invoicenumber_full"),
			q.Get("ordernumber_full") != "" && in.OrdernumberFull != q.Get("ordernumber_full"),
			status != "" && in.Status != status,
			minDay != "" && day < minDay,
			maxDay != "" && day > maxDay:
			continue
		}
		out = append(out, *in)
	}
	s.mu.Unlock()
	if b := sortItems(out, q.Get("orderby"), []string{"id", "invoicenumber", "invoicenumber_full", "ordernumber",
		"ordernumber_full", "status", "total_price", "create_date"},
		func(a, b ccvshop.Invoice, f string) int {
			switch f {
			case "invoicenumber":
				return cmpInt(int64(a.Invoicenumber), int64(b.Invoicenumber))
			case "invoicenumber_full":
				return strings.Compare(a.InvoicenumberFull, b.InvoicenumberFull)
			case "ordernumber":
				return cmpInt(int64(a.Ordernumber), int64(b.Ordernumber))
			case "ordernumber_full":
				return strings.Compare(a.OrdernumberFull, b.OrdernumberFull)
			case "status":
				return strings.Compare(a.Status, b.Status)
			case "total_price":
				return a.TotalPrice.Cmp(b.TotalPrice.Decimal)
			case "create_date":
				return strings.Compare(a.CreateDate, b.CreateDate)
			}
			return cmpInt(int64(a.ID), int64(b.ID))
		}); bad(b) {
		return *b
	}
	return paginate(r, out)
}

func (s *Server) listOrderInvoices(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	if _, ok := s.orders[id]; !ok {
		s.mu.Unlock()
		return notFound("order", r.PathValue("id"))
	}
	var out []ccvshop.Invoice
	for _, iid := range s.invoiceIDs {
		if in := s.invoices[iid]; in.Order != nil && in.Order.Href == s.link("orders/%d/", id) {
			out = append(out, *in)
		}
	}
	s.mu.Unlock()
	return paginate(r, out)
}

// createInvoice invoices an order. The fake invoices the whole order once;
// a second invoice for an unchanged order has nothing to invoice.
func (s *Server) createInvoice(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.InvoiceInput
	if len(bytes.TrimSpace(r.Body)) > 0 {
		if _, b := decode(r, &in); bad(b) {
			return *b
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return notFound("order", r.PathValue("id"))
	}
	for _, iid := range s.invoiceIDs {
		if inv := s.invoices[iid]; inv.Order != nil && inv.Order.Href == o.Href {
			return vertotestFail(500, verto.CodeSameValue, "order is fully invoiced")
		}
	}
	iid := s.id()
	s.nextInvN++
	status := "unpaid"
	if o.Paid {
		status = "paid"
	}
	if in.Status != "" {
		status = in.Status
	}
	inv := &ccvshop.Invoice{ID: verto.Int(iid), Href: s.link("invoices/%d/", iid), Invoicenumber: verto.Int(s.nextInvN),
		InvoicenumberFull: verto.Int(s.nextInvN).String(), OrdernumberPrefix: o.OrdernumberPrefix, Ordernumber: o.Ordernumber,
		OrdernumberFull: o.OrdernumberFull, CreateDate: s.stamp(), Status: status, StatusName: status, Type: "debit",
		TaxesIncluded: o.TaxesIncluded, InvoiceRowTaxesIncluded: o.OrderRowTaxesIncluded,
		ShippingTaxesIncluded: o.ShippingTaxesIncluded, ShippingTaxPercentage: o.ShippingTaxPercentage,
		TotalShipping: o.TotalShipping, TotalDiscounts: o.TotalDiscounts, TotalPrice: o.TotalPrice, TotalTax: o.TotalTax,
		Currency: o.Currency, ExternalReference: in.ExternalReference, User: o.User, Customer: o.Customer,
		Order: &ccvshop.Link{Href: o.Href}, Invoicerows: &ccvshop.Link{Href: s.link("invoices/%d/invoicerows/", iid)},
		Invoicenotifications: &ccvshop.Link{Href: s.link("invoices/%d/invoicenotifications/", iid)}}
	if o.OrderRowTaxesIncluded {
		inv.TotalPriceIncTax = o.TotalPrice
		inv.TotalPriceExcTax = num(o.TotalPrice.Sub(o.TotalTax.Decimal))
	} else {
		inv.TotalPriceExcTax = num(o.TotalPrice.Sub(o.TotalTax.Decimal))
		inv.TotalPriceIncTax = o.TotalPrice
	}
	if in.PaymentLinkSent != nil {
		inv.PaymentLinkSent = *in.PaymentLinkSent
	}
	var rows []ccvshop.InvoiceRow
	for _, rid := range s.rowsByOrder[id] {
		row := *s.rows[rid]
		rows = append(rows, ccvshop.InvoiceRow{OrderRow: row, InvoiceID: verto.Int(iid), Orderrow: &ccvshop.Link{Href: row.Href}})
	}
	s.invoices[iid] = inv
	s.invoiceIDs = insertID(s.invoiceIDs, iid)
	s.invoiceRows[iid] = rows
	return created(*inv)
}

func (s *Server) patchInvoice(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.InvoiceInput
	if _, b := decode(r, &in); bad(b) {
		return *b
	}
	if in.Status != "" && in.Status != "paid" && in.Status != "unpaid" && in.Status != "reimbursed" {
		return invalid("invoice: status must be paid, unpaid or reimbursed")
	}
	s.mu.Lock()
	inv, ok := s.invoices[id]
	if !ok {
		s.mu.Unlock()
		return notFound("invoice", r.PathValue("id"))
	}
	changed := in.Status != "" && in.Status != inv.Status
	if in.Status != "" {
		inv.Status, inv.StatusName = in.Status, in.Status
	}
	if in.PaymentLinkSent != nil {
		inv.PaymentLinkSent = *in.PaymentLinkSent
	}
	if in.ExternalReference != "" {
		inv.ExternalReference = in.ExternalReference
	}
	href := inv.Href
	s.mu.Unlock()
	if changed {
		s.notify(ccvshop.EventInvoiceStatusChanged, map[string]any{"id": id, "href": strings.TrimSuffix(href, "/")})
	}
	return noContent()
}

func (s *Server) listPaymethods(r *request) reply {
	s.mu.Lock()
	out := make([]ccvshop.Paymethod, len(s.paymethods))
	for i, p := range s.paymethods {
		p.Href = s.link("paymethods/%d/", int64(p.ID))
		out[i] = p
	}
	s.mu.Unlock()
	return paginate(r, out)
}
