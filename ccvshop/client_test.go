package ccvshop_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/verto"
)

const (
	mockHost   = "https://shop.example.nl"
	mockPublic = "mock-public"
	mockSecret = connector.Secret("mock-secret-123")
)

type recorded struct {
	method, uri string
	header      http.Header
	body        []byte
}

// signedMock answers every request with reply, signed like the platform,
// and records what it received.
type signedMock struct {
	mu     sync.Mutex
	seen   []recorded
	status int
	reply  string
}

func (m *signedMock) respond(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	m.mu.Lock()
	m.seen = append(m.seen, recorded{req.Method, req.URL.RequestURI(), req.Header.Clone(), body})
	status, reply := m.status, m.reply
	m.mu.Unlock()
	resp := httpmock.NewStringResponse(status, reply)
	date := verto.FormatDate(time.Now())
	resp.Header.Set("x-date", date)
	resp.Header.Set("x-hash", verto.Sign(mockPublic, mockSecret, req.Method, req.URL.RequestURI(), []byte(reply), date))
	return resp, nil
}

func newMockClient(t *testing.T, m *signedMock) *ccvshop.Client {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(m.respond)
	c, err := ccvshop.NewClient(mockHost, ccvshop.Credentials{PublicKey: mockPublic, Secret: mockSecret},
		ccvshop.WithHTTPClient(&http.Client{Transport: mt}), ccvshop.WithLimiter(nil), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func drainAll[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

const emptyPage = `{"href":"x","start":0,"size":100,"first":"x","previous":null,"next":null,"items":[]}`

var (
	day1   = time.Date(2024, 3, 1, 22, 0, 0, 0, time.UTC)
	day2   = time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	qty7   = decimal.NewFromInt(7)
	minSt  = decimal.RequireFromString("1.5")
	photo1 = ccvshop.NewPhotoInput([]byte("\x89PNG fake"), ".PNG", "Voorkant", true)
)

// Every service method: method, path, query, body, and the signature
// headers on the wire.
func TestServiceRequests(t *testing.T) {
	type tc struct {
		name   string
		call   func(ctx context.Context, c *ccvshop.Client) error
		method string
		uri    string
		body   string // JSON; "" for none
		status int
		reply  string
	}
	p := ccvshop.Paging{Start: 10, Size: 5}
	tests := []tc{
		// Orders.
		{"Orders.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Orders.List(ctx, &ccvshop.OrderListOptions{Paging: p, Ordernumber: 10001, Status: 4, IsPaid: ccvshop.Bool(true),
				MinCreateDate: day1, MaxCreateDate: day2, IsCompleted: ccvshop.Bool(false), PaymethodID: 2, TransactionID: "T1",
				DeliverDate: day2, TakeOutDate: day2, OrderBy: "create_date_desc"})
			return err
		}, "GET", "/api/rest/v1/orders/?deliver_date=2024-03-31&is_completed=false&is_paid=true&max_create_date=2024-03-31&min_create_date=2024-03-01&orderby=create_date_desc&ordernumber=10001&paymethod_id=2&size=5&start=10&status=4&take_out_date=2024-03-31&transaction_id=T1", "", 200, emptyPage},
		{"Orders.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.Orders.All(ctx, nil)) },
			"GET", "/api/rest/v1/orders/?size=100&start=0", "", 200, emptyPage},
		{"Orders.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Orders.Get(ctx, 339323562); return err },
			"GET", "/api/rest/v1/orders/339323562/", "", 200, `{"id":339323562}`},
		{"Orders.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Orders.Create(ctx, &ccvshop.OrderInput{UserID: 24464274, Customer: &ccvshop.PersonalInfo{Email: "a@b.nl",
				Billingaddress: &ccvshop.Address{Street: "Damrak", Housenumber: 1, HousenumberSuffix: "A"}},
				Orderrows:         []ccvshop.OrderRowInput{{Count: ccvshop.Num("2"), ProductID: 5, AttributeCombinationID: 6, Price: ccvshop.NumPtrFor("9.95")}},
				Reservationnumber: "EXT-1", Paid: ccvshop.Bool(true), TotalShipping: ccvshop.NumPtrFor("0")})
			return err
		}, "POST", "/api/rest/v1/orders/",
			`{"user_id":24464274,"customer":{"billingaddress":{"street":"Damrak","housenumber":1,"housenumber_suffix":"A"},"email":"a@b.nl"},"orderrows":[{"count":2,"product_id":5,"attribute_combination_id":6,"price":9.95}],"paid":true,"total_shipping":0,"reservationnumber":"EXT-1"}`,
			201, `{"id":1}`},
		{"Orders.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Orders.Update(ctx, 1, &ccvshop.OrderPatch{Paid: ccvshop.Bool(true), TrackAndTraceCode: "3S123"})
		}, "PATCH", "/api/rest/v1/orders/1/", `{"paid":true,"track_and_trace_code":"3S123"}`, 204, ""},
		{"Orders.UpdateStatus", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Orders.UpdateStatus(ctx, 1, 5, true, "Verzonden")
		},
			"PATCH", "/api/rest/v1/orders/1/", `{"status":5,"note":"Verzonden","mail":true}`, 204, ""},
		// Order rows.
		{"OrderRows.List", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.OrderRows.List(ctx, 1, p); return err },
			"GET", "/api/rest/v1/orders/1/orderrows/?size=5&start=10", "", 200, emptyPage},
		{"OrderRows.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.OrderRows.All(ctx, 1)) },
			"GET", "/api/rest/v1/orders/1/orderrows/?size=250&start=0", "", 200, emptyPage},
		{"OrderRows.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.OrderRows.Get(ctx, 9); return err },
			"GET", "/api/rest/v1/orderrows/9/", "", 200, `{"id":9}`},
		{"OrderRows.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.OrderRows.Create(ctx, 1, &ccvshop.OrderRowInput{Count: ccvshop.Num("1"), ProductName: "Borg", Price: ccvshop.NumPtrFor("2.50"), PackageID: 3})
			return err
		}, "POST", "/api/rest/v1/orders/1/orderrows/", `{"count":1,"product_name":"Borg","price":2.5,"package_id":3}`, 201, `{"id":10}`},
		{"OrderRows.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.OrderRows.Update(ctx, 9, &ccvshop.OrderRowPatch{Count: ccvshop.NumPtrFor("3"), Discount: ccvshop.NumPtrFor("0.5")})
		}, "PATCH", "/api/rest/v1/orderrows/9/", `{"count":3,"discount":0.5}`, 204, ""},
		{"OrderRows.Replace", func(ctx context.Context, c *ccvshop.Client) error {
			return c.OrderRows.Replace(ctx, 1, []ccvshop.OrderRowInput{{Count: ccvshop.Num("1"), ProductID: 5}})
		}, "PUT", "/api/rest/v1/orders/1/orderrows/", `{"orderrows":[{"count":1,"product_id":5}]}`, 204, ""},
		{"OrderRows.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.OrderRows.Delete(ctx, 9) },
			"DELETE", "/api/rest/v1/orderrows/9/", "", 204, ""},
		// Users.
		{"Users.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Users.List(ctx, &ccvshop.UserListOptions{Paging: p, ApprovalStatus: "pending", OrderBy: "last_name"})
			return err
		}, "GET", "/api/rest/v1/users/?approval_status=pending&orderby=last_name&size=5&start=10", "", 200, emptyPage},
		{"Users.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.Users.All(ctx, nil)) },
			"GET", "/api/rest/v1/users/?size=100&start=0", "", 200, emptyPage},
		{"Users.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Users.Get(ctx, 24464274); return err },
			"GET", "/api/rest/v1/users/24464274/", "", 200, `{"id":"24464274"}`},
		{"Users.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Users.Create(ctx, &ccvshop.UserInput{Username: "a@b.nl", Password: "s3cret-pass", Userinfo: &ccvshop.PersonalInfo{Email: "a@b.nl"}})
			return err
		}, "POST", "/api/rest/v1/users/", `{"username":"a@b.nl","password":"s3cret-pass","userinfo":{"email":"a@b.nl"}}`, 201, `{"id":5}`},
		{"Users.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Users.Update(ctx, 5, &ccvshop.UserInput{Status: ccvshop.Bool(false)})
		}, "PATCH", "/api/rest/v1/users/5/", `{"status":false}`, 204, ""},
		{"Users.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.Users.Delete(ctx, 5) },
			"DELETE", "/api/rest/v1/users/5/", "", 204, ""},
		// Products.
		{"Products.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Products.List(ctx, &ccvshop.ProductListOptions{Paging: p, Productnumber: "800001", Eannumber: "8712345678906",
				Mpnnumber: "M1", Productname: "mok", Active: ccvshop.Bool(true), MinStock: &minSt, MaxStock: &qty7,
				MinPrice: &minSt, MaxPrice: &qty7, OrderBy: "modifydate_desc", Expand: []string{"attributecombinations", "productphotos"}})
			return err
		}, "GET", "/api/rest/v1/products/?active=true&eannumber=8712345678906&expand=attributecombinations%2Cproductphotos&maxprice=7&maxstock=7&minprice=1.5&minstock=1.5&mpnnumber=M1&orderby=modifydate_desc&productname=mok&productnumber=800001&size=5&start=10", "", 200, emptyPage},
		{"Products.All by category", func(ctx context.Context, c *ccvshop.Client) error {
			return drainAll(c.Products.All(ctx, &ccvshop.ProductListOptions{CategoryID: 12}))
		}, "GET", "/api/rest/v1/categories/12/products/?size=100&start=0", "", 200, emptyPage},
		{"Products.Get", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Products.Get(ctx, 1234, "attributecombinations", "producttocategories")
			return err
		}, "GET", "/api/rest/v1/products/1234/?expand=attributecombinations%2Cproducttocategories", "", 200, `{"id":1234}`},
		{"Products.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Products.Create(ctx, &ccvshop.ProductInput{Name: "Mok", Productnumber: "800001", Price: ccvshop.NumPtrFor("12.50"),
				Discount: ccvshop.NumPtrFor("0"), PackageID: 1, Taxtariff: "normal", Active: ccvshop.Bool(true)})
			return err
		}, "POST", "/api/rest/v1/products/", `{"name":"Mok","productnumber":"800001","active":true,"price":12.5,"discount":0,"package_id":1,"taxtariff":"normal"}`, 201, `{"id":1234}`},
		{"Products.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Products.Update(ctx, 1234, &ccvshop.ProductInput{Name: "Mok XL", Active: ccvshop.Bool(false)})
		}, "PATCH", "/api/rest/v1/products/1234/", `{"name":"Mok XL","active":false}`, 204, ""},
		{"Products.UpdateStock", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Products.UpdateStock(ctx, 1234, decimal.NewFromInt(99))
		},
			"PATCH", "/api/rest/v1/products/1234/", `{"stock":99}`, 204, ""},
		{"Products.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.Products.Delete(ctx, 1234) },
			"DELETE", "/api/rest/v1/products/1234/", "", 204, ""},
		{"ProductQueries.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductQueries.List(ctx, ccvshop.ProductQuery{Skunumber: "800001-M", Eannumber: "871"})
			return err
		}, "GET", "/api/rest/v1/productqueries/?eannumber=871&size=100&skunumber=800001-M&start=0", "", 200, emptyPage},
		// Attributes, values, product attribute values, combinations.
		{"Attributes.List", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Attributes.List(ctx, p); return err },
			"GET", "/api/rest/v1/attributes/?size=5&start=10", "", 200, emptyPage},
		{"Attributes.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.Attributes.All(ctx)) },
			"GET", "/api/rest/v1/attributes/?size=250&start=0", "", 200, emptyPage},
		{"Attributes.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Attributes.Get(ctx, 3); return err },
			"GET", "/api/rest/v1/attributes/3/", "", 200, `{"id":3}`},
		{"Attributes.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Attributes.Create(ctx, &ccvshop.AttributeInput{Name: "Maat", Type: "option_menu"})
			return err
		}, "POST", "/api/rest/v1/attributes/", `{"name":"Maat","type":"option_menu"}`, 201, `{"id":3}`},
		{"Attributes.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Attributes.Update(ctx, 3, &ccvshop.AttributeInput{Name: "Size", Type: "option_menu"})
		}, "PATCH", "/api/rest/v1/attributes/3/", `{"name":"Size","type":"option_menu"}`, 204, ""},
		{"Attributes.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.Attributes.Delete(ctx, 3) },
			"DELETE", "/api/rest/v1/attributes/3/", "", 204, ""},
		{"AttributeValues.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.AttributeValues.List(ctx, 3, p)
			return err
		},
			"GET", "/api/rest/v1/attributes/3/attributevalues/?size=5&start=10", "", 200, emptyPage},
		{"AttributeValues.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.AttributeValues.All(ctx, 3)) },
			"GET", "/api/rest/v1/attributes/3/attributevalues/?size=250&start=0", "", 200, emptyPage},
		{"AttributeValues.Get", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.AttributeValues.Get(ctx, 4)
			return err
		},
			"GET", "/api/rest/v1/attributevalues/4/", "", 200, `{"id":4}`},
		{"AttributeValues.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.AttributeValues.Create(ctx, 3, &ccvshop.AttributeValueInput{Name: "XL"})
			return err
		}, "POST", "/api/rest/v1/attributes/3/attributevalues/", `{"name":"XL","default_price":0}`, 201, `{"id":4}`},
		{"AttributeValues.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.AttributeValues.Update(ctx, 4, &ccvshop.AttributeValueInput{Name: "XXL", DefaultPrice: ccvshop.Num("2")})
		}, "PATCH", "/api/rest/v1/attributevalues/4/", `{"name":"XXL","default_price":2}`, 204, ""},
		{"AttributeValues.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.AttributeValues.Delete(ctx, 4) },
			"DELETE", "/api/rest/v1/attributevalues/4/", "", 204, ""},
		{"ProductAttributeValues.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductAttributeValues.List(ctx, 1234, p)
			return err
		}, "GET", "/api/rest/v1/products/1234/productattributevalues/?size=5&start=10", "", 200, emptyPage},
		{"ProductAttributeValues.All", func(ctx context.Context, c *ccvshop.Client) error {
			return drainAll(c.ProductAttributeValues.All(ctx, 1234))
		}, "GET", "/api/rest/v1/products/1234/productattributevalues/?size=250&start=0", "", 200, emptyPage},
		{"ProductAttributeValues.Get", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductAttributeValues.Get(ctx, 8)
			return err
		}, "GET", "/api/rest/v1/productattributevalues/8/", "", 200, `{"id":8}`},
		{"ProductAttributeValues.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductAttributeValues.Create(ctx, 1234, &ccvshop.ProductAttributeValueInput{Optionvalue: 4, Price: ccvshop.Num("1.50"), Stock: ccvshop.NumPtrFor("3")})
			return err
		}, "POST", "/api/rest/v1/products/1234/productattributevalues/", `{"optionvalue":4,"price":1.5,"stock":3}`, 201, `{"id":8}`},
		{"ProductAttributeValues.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.ProductAttributeValues.Update(ctx, 8, &ccvshop.ProductAttributeValuePatch{Price: ccvshop.NumPtrFor("2"), Position: 2})
		}, "PATCH", "/api/rest/v1/productattributevalues/8/", `{"price":2,"position":2}`, 204, ""},
		{"ProductAttributeValues.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.ProductAttributeValues.Delete(ctx, 8) },
			"DELETE", "/api/rest/v1/productattributevalues/8/", "", 204, ""},
		{"AttributeCombinations.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.AttributeCombinations.List(ctx, 1234, p)
			return err
		}, "GET", "/api/rest/v1/products/1234/attributecombinations/?size=5&start=10", "", 200, emptyPage},
		{"AttributeCombinations.All", func(ctx context.Context, c *ccvshop.Client) error {
			return drainAll(c.AttributeCombinations.All(ctx, 1234))
		}, "GET", "/api/rest/v1/products/1234/attributecombinations/?size=250&start=0", "", 200, emptyPage},
		{"AttributeCombinations.Get", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.AttributeCombinations.Get(ctx, 77)
			return err
		},
			"GET", "/api/rest/v1/attributecombinations/77/", "", 200, `{"id":77}`},
		{"AttributeCombinations.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.AttributeCombinations.Update(ctx, 77, &ccvshop.AttributeCombinationPatch{SkuNumber: "800001-M", Active: ccvshop.Bool(true)})
		}, "PATCH", "/api/rest/v1/attributecombinations/77/", `{"sku_number":"800001-M","active":true}`, 204, ""},
		{"AttributeCombinations.UpdateStock", func(ctx context.Context, c *ccvshop.Client) error {
			return c.AttributeCombinations.UpdateStock(ctx, 77, decimal.RequireFromString("4.5"))
		}, "PATCH", "/api/rest/v1/attributecombinations/77/", `{"stock":4.5}`, 204, ""},
		// Categories and links.
		{"Categories.List root", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Categories.List(ctx, 0, p); return err },
			"GET", "/api/rest/v1/categories/?size=5&start=10", "", 200, emptyPage},
		{"Categories.All children", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.Categories.All(ctx, 12)) },
			"GET", "/api/rest/v1/categories/12/categories/?size=250&start=0", "", 200, emptyPage},
		{"Categories.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Categories.Get(ctx, 12); return err },
			"GET", "/api/rest/v1/categories/12/", "", 200, `{"id":12}`},
		{"Categories.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Categories.Create(ctx, &ccvshop.CategoryInput{Name: "Mokken", ParentcategoryID: 12})
			return err
		}, "POST", "/api/rest/v1/categories/", `{"name":"Mokken","parentcategory_id":12}`, 201, `{"id":13}`},
		{"Categories.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Categories.Update(ctx, 13, &ccvshop.CategoryInput{Position: 2})
		}, "PATCH", "/api/rest/v1/categories/13/", `{"position":2}`, 204, ""},
		{"Categories.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.Categories.Delete(ctx, 13) },
			"DELETE", "/api/rest/v1/categories/13/", "", 204, ""},
		{"ProductToCategories.ListByProduct", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductToCategories.ListByProduct(ctx, 1234, p)
			return err
		}, "GET", "/api/rest/v1/products/1234/producttocategories/?size=5&start=10", "", 200, emptyPage},
		{"ProductToCategories.ListByCategory", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductToCategories.ListByCategory(ctx, 12, p)
			return err
		}, "GET", "/api/rest/v1/categories/12/producttocategories/?size=5&start=10", "", 200, emptyPage},
		{"ProductToCategories.Get", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductToCategories.Get(ctx, 50)
			return err
		},
			"GET", "/api/rest/v1/producttocategories/50/", "", 200, `{"id":50}`},
		{"ProductToCategories.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductToCategories.Create(ctx, &ccvshop.ProductToCategoryInput{ProductID: 1234, CategoryID: 12})
			return err
		}, "POST", "/api/rest/v1/producttocategories/", `{"product_id":1234,"category_id":12}`, 201, `{"id":50}`},
		{"ProductToCategories.UpdatePosition", func(ctx context.Context, c *ccvshop.Client) error {
			return c.ProductToCategories.UpdatePosition(ctx, 50, 3)
		}, "PATCH", "/api/rest/v1/producttocategories/50/", `{"position":3}`, 204, ""},
		{"ProductToCategories.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.ProductToCategories.Delete(ctx, 50) },
			"DELETE", "/api/rest/v1/producttocategories/50/", "", 204, ""},
		// Photos.
		{"ProductPhotos.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductPhotos.List(ctx, 1234, "ismainphoto_desc", p)
			return err
		}, "GET", "/api/rest/v1/products/1234/productphotos/?orderby=ismainphoto_desc&size=5&start=10", "", 200, emptyPage},
		{"ProductPhotos.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.ProductPhotos.Get(ctx, 60); return err },
			"GET", "/api/rest/v1/productphotos/60/", "", 200, `{"id":60}`},
		{"ProductPhotos.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.ProductPhotos.Create(ctx, 1234, &photo1)
			return err
		}, "POST", "/api/rest/v1/products/1234/productphotos/", `{"source":"iVBORyBmYWtl","file_type":"png","alttext":"Voorkant","is_mainphoto":true}`, 201, `{"id":60}`},
		{"ProductPhotos.Replace", func(ctx context.Context, c *ccvshop.Client) error {
			return c.ProductPhotos.Replace(ctx, 1234, nil)
		}, "PUT", "/api/rest/v1/products/1234/productphotos/", `{"productphotos":[]}`, 204, ""},
		{"ProductPhotos.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.ProductPhotos.Update(ctx, 60, &ccvshop.ProductPhotoPatch{Alttext: "Zijkant"})
		}, "PATCH", "/api/rest/v1/productphotos/60/", `{"alttext":"Zijkant"}`, 204, ""},
		{"ProductPhotos.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.ProductPhotos.Delete(ctx, 60) },
			"DELETE", "/api/rest/v1/productphotos/60/", "", 204, ""},
		// Webhooks.
		{"Webhooks.List", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Webhooks.List(ctx, p); return err },
			"GET", "/api/rest/v1/webhooks/?size=5&start=10", "", 200, emptyPage},
		{"Webhooks.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.Webhooks.All(ctx)) },
			"GET", "/api/rest/v1/webhooks/?size=250&start=0", "", 200, emptyPage},
		{"Webhooks.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Webhooks.Get(ctx, 70); return err },
			"GET", "/api/rest/v1/webhooks/70/", "", 200, `{"id":70}`},
		{"Webhooks.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Webhooks.Create(ctx, &ccvshop.WebhookInput{Event: ccvshop.EventOrderStatusChanged, Address: "https://hooks.example.nl/ccv"})
			return err
		}, "POST", "/api/rest/v1/webhooks/", `{"event":"orders.updated.status","address":"https://hooks.example.nl/ccv"}`, 201, `{"id":70,"key":"k"}`},
		{"Webhooks.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Webhooks.Update(ctx, 70, &ccvshop.WebhookPatch{IsActive: ccvshop.Bool(false)})
		}, "PATCH", "/api/rest/v1/webhooks/70/", `{"is_active":false}`, 204, ""},
		{"Webhooks.Delete", func(ctx context.Context, c *ccvshop.Client) error { return c.Webhooks.Delete(ctx, 70) },
			"DELETE", "/api/rest/v1/webhooks/70/", "", 204, ""},
		// Invoices, payment methods, packages.
		{"Invoices.List", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Invoices.List(ctx, &ccvshop.InvoiceListOptions{Paging: p, Invoicenumber: 20001, InvoicenumberFull: "F-20001",
				Ordernumber: 10001, OrdernumberFull: "W-10001", Status: "paid", MinCreateDate: day1, MaxCreateDate: day2, OrderBy: "total_price_desc"})
			return err
		}, "GET", "/api/rest/v1/invoices/?invoicenumber=20001&invoicenumber_full=F-20001&max_create_date=2024-03-31&min_create_date=2024-03-01&orderby=total_price_desc&ordernumber=10001&ordernumber_full=W-10001&size=5&start=10&status=paid", "", 200, emptyPage},
		{"Invoices.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.Invoices.All(ctx, nil)) },
			"GET", "/api/rest/v1/invoices/?size=100&start=0", "", 200, emptyPage},
		{"Invoices.ListByOrder", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Invoices.ListByOrder(ctx, 1, p)
			return err
		},
			"GET", "/api/rest/v1/orders/1/invoices/?size=5&start=10", "", 200, emptyPage},
		{"Invoices.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Invoices.Get(ctx, 80); return err },
			"GET", "/api/rest/v1/invoices/80/", "", 200, `{"id":80}`},
		{"Invoices.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Invoices.Create(ctx, 1, &ccvshop.InvoiceInput{ExternalReference: "BOEK-7"})
			return err
		}, "POST", "/api/rest/v1/orders/1/invoices/", `{"external_reference":"BOEK-7"}`, 201, `{"id":80}`},
		{"Invoices.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Invoices.Update(ctx, 80, &ccvshop.InvoiceInput{Status: "paid", PaymentLinkSent: ccvshop.Bool(true)})
		}, "PATCH", "/api/rest/v1/invoices/80/", `{"status":"paid","payment_link_sent":true}`, 204, ""},
		{"Invoices.Rows", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Invoices.Rows(ctx, 80, p); return err },
			"GET", "/api/rest/v1/invoices/80/invoicerows/?size=5&start=10", "", 200, emptyPage},
		{"PayMethods.List", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.PayMethods.List(ctx, p); return err },
			"GET", "/api/rest/v1/paymethods/?size=5&start=10", "", 200, emptyPage},
		{"PayMethods.All", func(ctx context.Context, c *ccvshop.Client) error { return drainAll(c.PayMethods.All(ctx)) },
			"GET", "/api/rest/v1/paymethods/?size=250&start=0", "", 200, emptyPage},
		{"Packages.List", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Packages.List(ctx, p); return err },
			"GET", "/api/rest/v1/packages/?size=5&start=10", "", 200, emptyPage},
		{"Packages.Get", func(ctx context.Context, c *ccvshop.Client) error { _, err := c.Packages.Get(ctx, 1); return err },
			"GET", "/api/rest/v1/packages/1/", "", 200, `{"id":1}`},
		{"Packages.Create", func(ctx context.Context, c *ccvshop.Client) error {
			_, err := c.Packages.Create(ctx, &ccvshop.PackageInput{Name: "Brievenbus"})
			return err
		}, "POST", "/api/rest/v1/packages/", `{"name":"Brievenbus"}`, 201, `{"id":2}`},
		{"Packages.Update", func(ctx context.Context, c *ccvshop.Client) error {
			return c.Packages.Update(ctx, 2, &ccvshop.PackageInput{Name: "Pakket"})
		}, "PATCH", "/api/rest/v1/packages/2/", `{"name":"Pakket"}`, 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &signedMock{status: tt.status, reply: tt.reply}
			c := newMockClient(t, m)
			if err := tt.call(context.Background(), c); err != nil {
				t.Fatalf("call: %v", err)
			}
			if len(m.seen) != 1 {
				t.Fatalf("%d requests, want 1", len(m.seen))
			}
			got := m.seen[0]
			if got.method != tt.method || got.uri != tt.uri {
				t.Errorf("request %s %s\nwant    %s %s", got.method, got.uri, tt.method, tt.uri)
			}
			if tt.body == "" && len(got.body) != 0 {
				t.Errorf("unexpected body %s", got.body)
			}
			if tt.body != "" {
				var want, have any
				if err := json.Unmarshal([]byte(tt.body), &want); err != nil {
					t.Fatalf("test body: %v", err)
				}
				if err := json.Unmarshal(got.body, &have); err != nil {
					t.Fatalf("sent body %s: %v", got.body, err)
				}
				if diff := cmp.Diff(want, have); diff != "" {
					t.Errorf("body (-want +got)\n%s\nsent: %s", diff, got.body)
				}
				if ct := got.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
			}
			date := got.header.Get("x-date")
			if got.header.Get("x-public") != mockPublic {
				t.Errorf("x-public = %q", got.header.Get("x-public"))
			}
			if _, err := time.Parse("2006-01-02T15:04:05Z", date); err != nil {
				t.Errorf("x-date = %q", date)
			}
			if !verto.Verify(mockPublic, mockSecret, got.method, got.uri, got.body, date, got.header.Get("x-hash")) {
				t.Error("x-hash does not verify over public|METHOD|uri|body|date")
			}
			if got.header.Get("Accept") != "application/vnd.verto.webshop+json" {
				t.Errorf("Accept = %q", got.header.Get("Accept"))
			}
		})
	}
}

func TestEmptyProductQuery(t *testing.T) {
	c := newMockClient(t, &signedMock{status: 200, reply: emptyPage})
	if _, err := c.ProductQueries.List(context.Background(), ccvshop.ProductQuery{}); !errors.Is(err, ccvshop.ErrEmptyProductQuery) {
		t.Errorf("err = %v", err)
	}
}

func TestClientDoesNotPrintSecrets(t *testing.T) {
	c := newMockClient(t, &signedMock{status: 200, reply: emptyPage})
	in := ccvshop.UserInput{Username: "a@b.nl", Password: "hunter22"}
	for _, s := range []string{c.String(), fmtAll(in), fmtAll(ccvshop.Credentials{PublicKey: "p", Secret: "topsecret"})} {
		if strings.Contains(s, "hunter22") || strings.Contains(s, "topsecret") {
			t.Errorf("secret printed: %s", s)
		}
	}
}

func fmtAll(v any) string { return fmt.Sprintf("%v %+v %#v %s", v, v, v, v) }
