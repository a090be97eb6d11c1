package mpluskassatest

import (
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/tradelink/tradelink/internal/soap"
	"github.com/tradelink/tradelink/mpluskassa"
)

// handler serves one operation: it decodes the body element and returns the
// response element's name and content. An error becomes a SOAP Client fault
// (the request does not match the schema).
type handler func(st *state, b *soap.Body) (name string, out any, err error)

// The fake's own input wrappers, written from the WSDL independently of the
// client's, so a wrong element name on either side shows up in tests.
type (
	requestOf[T any] struct {
		Request *T `xml:"request"`
	}
	productOp struct {
		Product *mpluskassa.Product `xml:"product"`
	}
	orderOp struct {
		Order *mpluskassa.Order `xml:"order"`
	}
	relationOp struct {
		Relation *mpluskassa.Relation `xml:"relation"`
	}
	orderIDOp struct {
		OrderID *string `xml:"orderId"`
	}
	extOrderIDOp struct {
		ExtOrderID *string `xml:"extOrderId"`
	}
	relationNumberOp struct {
		RelationNumber *int64 `xml:"relationNumber"`
	}
	deliverOrderRequest struct {
		OrderID *string `xml:"orderId"`
	}
	noInput struct{}
)

// errMissing is a required element the request lacks.
func errMissing(el string) error { return errors.New("required element " + el + " is missing") }

// decodeRequired decodes the body into in and checks that get returns the
// required child.
func decodeRequired[W any, T any](b *soap.Body, el string, get func(*W) *T) (*T, error) {
	var in W
	if err := b.Decode(&in); err != nil {
		return nil, err
	}
	v := get(&in)
	if v == nil {
		return nil, errMissing(el)
	}
	return v, nil
}

func request[T any](b *soap.Body) (*T, error) {
	return decodeRequired(b, "request", func(w *requestOf[T]) *T { return w.Request })
}

var handlers = map[string]handler{
	"getApiVersion": func(st *state, b *soap.Body) (string, any, error) {
		return "getApiVersionResponse", mpluskassa.APIVersion{MajorNumber: 67, MinorNumber: 1, RevisionNumber: 3,
			ServiceVersionDisplayString: mpluskassa.Ptr("67.1.3 (tradelink fake)")}, b.Decode(&noInput{})
	},
	"getCurrentSyncMarkers": func(st *state, b *soap.Body) (string, any, error) {
		return "getCurrentSyncMarkersResponse", mpluskassa.SyncMarkers{ArticleSyncMarker: st.articleMarker,
			RelationSyncMarker: st.relationMarker, EmployeeSyncMarker: st.employeeMarker, OrderSyncMarker: st.orderMarker,
			StockID: mpluskassa.Ptr(st.stockID)}, b.Decode(&noInput{})
	},
	"getProducts":       opGetProducts,
	"createProduct":     opCreateProduct,
	"updateProduct":     opUpdateProduct,
	"getStock":          opGetStock,
	"updateStock":       opUpdateStock,
	"setStock":          opSetStock,
	"getOrders":         opGetOrders,
	"getOrder":          opGetOrder,
	"findOrder":         opFindOrder,
	"createOrder":       opCreateOrder,
	"createOrderV3":     opCreateOrderV3,
	"saveOrder":         opSaveOrder,
	"cancelOrder":       opCancelOrder,
	"deliverOrder":      opDeliverOrder,
	"findRelationV2":    opFindRelationV2,
	"getRelation":       opGetRelation,
	"getRelations":      opGetRelations,
	"createRelation":    opCreateRelation,
	"updateRelation":    opUpdateRelation,
	"getVatGroupList":   opGetVatGroupList,
	"getTurnoverGroups": opGetTurnoverGroups,
	"getPaymentMethods": opGetPaymentMethods,
	"getBranches":       opGetBranches,
	"getEmployees":      opGetEmployees,
}

// page sorts items by sync marker, keeps those at or above from, cuts the
// page at limit (nil: the cap) and at the server's cap, and clones what is
// left.
func page[T any](items []*T, marker func(*T) int64, from *int64, limit *int, pageCap int) []T {
	sort.Slice(items, func(i, j int) bool { return marker(items[i]) < marker(items[j]) })
	n := pageLimit(limit, pageCap)
	out := []T{}
	for _, it := range items {
		if len(out) == n {
			break
		}
		if from == nil || marker(it) >= *from {
			out = append(out, clone(*it))
		}
	}
	return out
}

// pageLimit is the number of items a page holds.
func pageLimit(limit *int, pageCap int) int {
	if limit != nil && *limit > 0 && *limit < pageCap {
		return *limit
	}
	return pageCap
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func opGetProducts(st *state, b *soap.Body) (string, any, error) {
	req, err := request[mpluskassa.GetProductsRequest](b)
	if err != nil {
		return "", nil, err
	}
	plus := req.PluNumbers.Strings()
	var since time.Time
	if req.ChangedSinceTimestamp != nil {
		if since, err = req.ChangedSinceTimestamp.Time(); err != nil {
			return "", nil, errors.New("changedSinceTimestamp: " + err.Error())
		}
	}
	// Select and order the candidates first, then clone only the page.
	paging := req.SyncMarker != nil || req.SyncMarkerLimit != nil
	var cands []*mpluskassa.Product
	for _, p := range st.products {
		if len(req.ProductNumbers) > 0 && !contains(req.ProductNumbers, *p.ProductNumber) ||
			len(req.GroupNumbers) > 0 && !anyOf(p.GroupNumbers, req.GroupNumbers) ||
			req.SyncMarker != nil && *p.SyncMarker < *req.SyncMarker {
			continue
		}
		cands = append(cands, p)
	}
	key := func(p *mpluskassa.Product) int64 { return *p.ProductNumber }
	if paging {
		key = func(p *mpluskassa.Product) int64 { return *p.SyncMarker }
	}
	sort.Slice(cands, func(i, j int) bool { return key(cands[i]) < key(cands[j]) })
	limit := len(cands)
	if paging {
		limit = pageLimit(req.SyncMarkerLimit, st.pageCap)
	}
	var out []mpluskassa.Product
	for _, p := range cands {
		if len(out) == limit {
			break
		}
		var arts []mpluskassa.Article
		for _, a := range p.Articles() {
			if len(req.ArticleNumbers) > 0 && !contains(req.ArticleNumbers, *a.ArticleNumber) ||
				len(plus) > 0 && !contains(plus, val(a.PluNumber)) ||
				val(req.OnlyActive) && !val(a.Active) || val(req.OnlyWebshop) && !val(a.Webshop) {
				continue
			}
			if !since.IsZero() && a.ChangeTimestamp != nil {
				if t, err := a.ChangeTimestamp.Time(); err == nil && t.Before(since) {
					continue
				}
			}
			arts = append(arts, a)
		}
		if len(arts) == 0 {
			continue
		}
		cp := clone(*p)
		if !val(req.IncludeAllArticlesOfSelectedProducts) {
			cp.ArticleList = &mpluskassa.ArticleList{Article: clone(arts)}
		}
		out = append(out, cp)
	}
	return "GetProductsResponse", mpluskassa.GetProductsResponse{ProductList: mpluskassa.ProductList{Product: out}}, nil
}

func anyOf(have, want []int) bool {
	for _, w := range want {
		if contains(have, w) {
			return true
		}
	}
	return false
}

func opCreateProduct(st *state, b *soap.Body) (string, any, error) {
	p, err := decodeRequired(b, "product", func(w *productOp) *mpluskassa.Product { return w.Product })
	if err != nil {
		return "", nil, err
	}
	created, res := st.createProduct(*p)
	resp := mpluskassa.CreateProductResponse{Result: mpluskassa.CreateProductOK}
	if res != nil {
		resp.Result, resp.ErrorMessage = res.code, res.msg
	} else {
		resp.ProductNumber = *created.ProductNumber
		for _, a := range created.Articles() {
			resp.ArticleNumbers = append(resp.ArticleNumbers, *a.ArticleNumber)
		}
		resp.SyncMarker, resp.ChangeTimestamp = created.SyncMarker, st.stamp()
	}
	return "CreateProductResponse", resp, nil
}

func opUpdateProduct(st *state, b *soap.Body) (string, any, error) {
	p, err := decodeRequired(b, "product", func(w *productOp) *mpluskassa.Product { return w.Product })
	if err != nil {
		return "", nil, err
	}
	resp, res := st.updateProduct(*p)
	resp.Result = mpluskassa.UpdateProductOK
	if res != nil {
		resp = mpluskassa.UpdateProductResponse{Result: res.code, ErrorMessage: res.msg}
	}
	return "UpdateProductResponse", resp, nil
}

func opGetStock(st *state, b *soap.Body) (string, any, error) {
	req, err := request[mpluskassa.GetStockRequest](b)
	if err != nil {
		return "", nil, err
	}
	var resp mpluskassa.GetStockResponse
	if st.branch(req.BranchNumber) == nil {
		return "GetStockResponse", resp, nil
	}
	nums := req.ArticleNumbers.ArticleNumbers
	if len(nums) == 0 {
		for n := range st.productOf {
			nums = append(nums, n)
		}
		sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	}
	for _, n := range nums {
		a, _ := st.article(n)
		if a == nil || !val(a.StockArticle) {
			continue
		}
		r := st.stock[stockKey{req.BranchNumber, n}]
		if r == nil {
			r = &stockRec{}
		}
		if req.StockID != nil && r.stockID < *req.StockID {
			continue
		}
		s, err := articleStock(req.BranchNumber, n, r)
		if err != nil {
			return "", nil, err
		}
		resp.ArticleStocks = append(resp.ArticleStocks, s)
	}
	return "GetStockResponse", resp, nil
}

// stockTarget checks branch and article of a stock change; the result code
// prefix is UPDATE-STOCK-RESULT- or SET-STOCK-RESULT-.
func (st *state) stockTarget(branch int, article int64, prefix string) (*stockRec, string) {
	if st.branch(branch) == nil {
		return nil, prefix + "BRANCH-NOT-FOUND"
	}
	a, _ := st.article(article)
	if a == nil {
		return nil, prefix + "ARTICLE-NOT-FOUND"
	}
	if !val(a.StockArticle) {
		return nil, prefix + "NO-STOCK-ARTICLE"
	}
	return st.stockOf(branch, article), ""
}

func opUpdateStock(st *state, b *soap.Body) (string, any, error) {
	req, err := request[mpluskassa.UpdateStockRequest](b)
	if err != nil {
		return "", nil, err
	}
	r, code := st.stockTarget(req.BranchNumber, req.ArticleNumber, "UPDATE-STOCK-RESULT-")
	if r == nil {
		return "UpdateStockResponse", mpluskassa.UpdateStockResponse{Result: code}, nil
	}
	d, err := mpluskassa.FromScaled(req.AmountChanged, req.DecimalPlaces)
	if err != nil {
		return "UpdateStockResponse", mpluskassa.UpdateStockResponse{Result: mpluskassa.UpdateStockFailed}, nil
	}
	r.onHand = r.onHand.Add(d)
	st.mutate(r)
	return "UpdateStockResponse", mpluskassa.UpdateStockResponse{Result: mpluskassa.UpdateStockOK, StockID: mpluskassa.Ptr(r.stockID)}, nil
}

func opSetStock(st *state, b *soap.Body) (string, any, error) {
	req, err := request[mpluskassa.SetStockRequest](b)
	if err != nil {
		return "", nil, err
	}
	r, code := st.stockTarget(req.BranchNumber, req.ArticleNumber, "SET-STOCK-RESULT-")
	if r == nil {
		return "SetStockResponse", mpluskassa.SetStockResponse{Result: code}, nil
	}
	d, err := mpluskassa.FromScaled(req.Amount, req.DecimalPlaces)
	if err != nil {
		return "SetStockResponse", mpluskassa.SetStockResponse{Result: mpluskassa.SetStockFailed}, nil
	}
	r.onHand = d
	st.mutate(r)
	return "SetStockResponse", mpluskassa.SetStockResponse{Result: mpluskassa.SetStockOK, StockID: mpluskassa.Ptr(r.stockID)}, nil
}

func opGetOrders(st *state, b *soap.Body) (string, any, error) {
	req, err := request[mpluskassa.GetOrdersRequest](b)
	if err != nil {
		return "", nil, err
	}
	var from, through time.Time
	if req.FromFinancialDate != nil {
		if from, err = req.FromFinancialDate.Time(); err != nil {
			return "", nil, errors.New("fromFinancialDate: " + err.Error())
		}
	}
	if req.ThroughFinancialDate != nil {
		if through, err = req.ThroughFinancialDate.Time(); err != nil {
			return "", nil, errors.New("throughFinancialDate: " + err.Error())
		}
	}
	types := []string{mpluskassa.OrderTypeSalesOrder, "ORDER-TYPE-REPEAT-SALES-ORDER", "ORDER-TYPE-EXTERNAL-SALES-ORDER"}
	if req.OrderTypeList != nil {
		types = req.OrderTypeList.OrderType
	}
	var sel []*mpluskassa.Order
	for _, o := range st.orders {
		fd, _ := o.FinancialDate.Time()
		switch {
		case !from.IsZero() && fd.Before(from), !through.IsZero() && fd.After(through),
			len(req.BranchNumbers) > 0 && !contains(req.BranchNumbers, val(o.FinancialBranchNumber)),
			len(req.RelationNumbers) > 0 && !contains(req.RelationNumbers, val(o.RelationNumber)),
			len(req.EmployeeNumbers) > 0 && !contains(req.EmployeeNumbers, val(o.EmployeeNumber)),
			len(req.OrderIDs) > 0 && !contains(req.OrderIDs, o.OrderID),
			!contains(types, val(o.OrderType)):
			continue
		}
		sel = append(sel, o)
	}
	out := page(sel, func(o *mpluskassa.Order) int64 { return *o.SyncMarker }, req.SyncMarker, req.SyncMarkerLimit, st.pageCap)
	if req.IncludeLineList != nil && !*req.IncludeLineList {
		for i := range out {
			out[i].LineList = nil
		}
	}
	return "GetOrdersResponse", mpluskassa.GetOrdersResponse{OrderList: mpluskassa.OrderList{Order: out}}, nil
}

func orderAnswer(o *mpluskassa.Order) mpluskassa.GetOrderResponse {
	if o == nil {
		return mpluskassa.GetOrderResponse{Result: mpluskassa.GetOrderNotFound}
	}
	return mpluskassa.GetOrderResponse{Result: mpluskassa.GetOrderOK, Order: mpluskassa.Ptr(clone(*o))}
}

func opGetOrder(st *state, b *soap.Body) (string, any, error) {
	id, err := decodeRequired(b, "orderId", func(w *orderIDOp) *string { return w.OrderID })
	if err != nil {
		return "", nil, err
	}
	return "GetOrderResponse", orderAnswer(st.orders[*id]), nil
}

func opFindOrder(st *state, b *soap.Body) (string, any, error) {
	ext, err := decodeRequired(b, "extOrderId", func(w *extOrderIDOp) *string { return w.ExtOrderID })
	if err != nil {
		return "", nil, err
	}
	var o *mpluskassa.Order
	if id, ok := st.orderByExt[*ext]; ok && *ext != "" {
		o = st.orders[id]
	}
	return "GetOrderResponse", orderAnswer(o), nil
}

func opCreateOrder(st *state, b *soap.Body) (string, any, error) {
	var in orderOp
	if err := b.Decode(&in); err != nil {
		return "", nil, err
	}
	if in.Order == nil {
		return "CreateOrderResponse", mpluskassa.CreateOrderResponse{Result: mpluskassa.CreateOrderFailed, ErrorMessage: "no order given"}, nil
	}
	o, res := st.createOrder(*in.Order, createPrefix)
	if res != nil {
		return "CreateOrderResponse", mpluskassa.CreateOrderResponse{Result: res.code, ErrorMessage: res.msg}, nil
	}
	return "CreateOrderResponse", mpluskassa.CreateOrderResponse{Result: mpluskassa.CreateOrderOK, Info: orderInfo(o)}, nil
}

func orderInfo(o mpluskassa.Order) mpluskassa.CreateOrderInfo {
	return mpluskassa.CreateOrderInfo{OrderID: o.OrderID, OrderString: mpluskassa.OrderNumberString(*o.OrderNumber)}
}

func opCreateOrderV3(st *state, b *soap.Body) (string, any, error) {
	type v3 struct {
		IdempotencyKey *string           `xml:"idempotencyKey"`
		Order          *mpluskassa.Order `xml:"order"`
	}
	req, err := request[v3](b)
	if err != nil {
		return "", nil, err
	}
	if req.IdempotencyKey == nil || strings.TrimSpace(*req.IdempotencyKey) == "" {
		return "", nil, errMissing("idempotencyKey")
	}
	if req.Order == nil {
		return "", nil, errMissing("order")
	}
	if prev, ok := st.idempotent[*req.IdempotencyKey]; ok {
		prev.IdempotencyResult = mpluskassa.IdempotencyReplayResponse
		return "CreateOrderV3Response", prev, nil
	}
	resp := mpluskassa.CreateOrderV3Response{IdempotencyResult: mpluskassa.IdempotencyOriginalResponse, Result: mpluskassa.CreateOrderOK}
	o, res := st.createOrder(*req.Order, createPrefix)
	if res != nil {
		resp.Result, resp.ErrorMessage = res.code, &res.msg
	} else {
		resp.Order, resp.Info = &o, orderInfo(o)
	}
	st.idempotent[*req.IdempotencyKey] = resp
	return "CreateOrderV3Response", resp, nil
}

func opSaveOrder(st *state, b *soap.Body) (string, any, error) {
	o, err := decodeRequired(b, "order", func(w *orderOp) *mpluskassa.Order { return w.Order })
	if err != nil {
		return "", nil, err
	}
	saved, code, res := st.saveOrder(*o)
	if res != nil {
		return "SaveOrderResponse", mpluskassa.SaveOrderResponse{Result: res.code, ErrorMessage: res.msg}, nil
	}
	return "SaveOrderResponse", mpluskassa.SaveOrderResponse{Result: code, Info: orderInfo(saved)}, nil
}

func opCancelOrder(st *state, b *soap.Body) (string, any, error) {
	id, err := decodeRequired(b, "orderId", func(w *orderIDOp) *string { return w.OrderID })
	if err != nil {
		return "", nil, err
	}
	return "CancelOrderResponse", st.cancelOrder(*id), nil
}

func opDeliverOrder(st *state, b *soap.Body) (string, any, error) {
	req, err := request[deliverOrderRequest](b)
	if err != nil {
		return "", nil, err
	}
	if req.OrderID == nil {
		return "", nil, errMissing("orderId")
	}
	return "DeliverOrderResponse", st.deliverOrder(*req.OrderID), nil
}

func opFindRelationV2(st *state, b *soap.Body) (string, any, error) {
	req, err := request[mpluskassa.FindRelationV2Request](b)
	if err != nil {
		return "", nil, err
	}
	r := st.findRelation(req.Relation, val(req.ExactMatch))
	if r == nil {
		return "FindRelationV2Response", mpluskassa.FindRelationV2Response{Result: mpluskassa.FindRelationNotFound}, nil
	}
	return "FindRelationV2Response", mpluskassa.FindRelationV2Response{Result: mpluskassa.FindRelationOK, Relation: mpluskassa.Ptr(clone(*r))}, nil
}

func opGetRelation(st *state, b *soap.Body) (string, any, error) {
	n, err := decodeRequired(b, "relationNumber", func(w *relationNumberOp) *int64 { return w.RelationNumber })
	if err != nil {
		return "", nil, err
	}
	r, ok := st.relations[*n]
	if !ok {
		// relation is schema-required: an empty one keeps the answer valid.
		return "GetRelationResponse", mpluskassa.GetRelationResponse{Result: mpluskassa.GetRelationNotFound, Relation: &mpluskassa.Relation{}}, nil
	}
	return "GetRelationResponse", mpluskassa.GetRelationResponse{Result: mpluskassa.GetRelationOK, Relation: mpluskassa.Ptr(clone(*r))}, nil
}

func opGetRelations(st *state, b *soap.Body) (string, any, error) {
	var in requestOf[mpluskassa.GetRelationsRequest]
	if err := b.Decode(&in); err != nil {
		return "", nil, err
	}
	req := in.Request
	if req == nil {
		req = &mpluskassa.GetRelationsRequest{} // the request is optional
	}
	var sel []*mpluskassa.Relation
	for _, r := range st.relations {
		if len(req.RelationNumbers) > 0 && !contains(req.RelationNumbers, *r.RelationNumber) ||
			req.CategoryID != nil && val(r.CategoryID) != *req.CategoryID {
			continue
		}
		sel = append(sel, r)
	}
	out := page(sel, func(r *mpluskassa.Relation) int64 { return *r.SyncMarker }, req.SyncMarker, req.SyncMarkerLimit, st.pageCap)
	return "GetRelationsResponse", mpluskassa.GetRelationsResponse{RelationList: mpluskassa.RelationList{Relation: out}}, nil
}

func opCreateRelation(st *state, b *soap.Body) (string, any, error) {
	var in relationOp
	if err := b.Decode(&in); err != nil {
		return "", nil, err
	}
	if in.Relation == nil {
		return "CreateRelationResponse", mpluskassa.CreateRelationResponse{Result: mpluskassa.CreateRelationFailed, ErrorMessage: "no relation given"}, nil
	}
	r, res := st.createRelation(*in.Relation)
	if res != nil {
		return "CreateRelationResponse", mpluskassa.CreateRelationResponse{Result: res.code, ErrorMessage: res.msg}, nil
	}
	return "CreateRelationResponse", mpluskassa.CreateRelationResponse{Result: mpluskassa.CreateRelationOK, RelationNumber: *r.RelationNumber,
		ChangeTimestamp: r.ChangeTimestamp, SyncMarker: r.SyncMarker}, nil
}

func opUpdateRelation(st *state, b *soap.Body) (string, any, error) {
	var in relationOp
	if err := b.Decode(&in); err != nil {
		return "", nil, err
	}
	if in.Relation == nil || in.Relation.RelationNumber == nil {
		return "UpdateRelationResponse", mpluskassa.UpdateRelationResponse{Result: mpluskassa.UpdateRelationFailed, ErrorMessage: "relationNumber is required"}, nil
	}
	cur, ok := st.relations[*in.Relation.RelationNumber]
	if !ok {
		return "UpdateRelationResponse", mpluskassa.UpdateRelationResponse{Result: mpluskassa.UpdateRelationNotFound, ErrorMessage: "relation not found"}, nil
	}
	next := clone(*cur)
	merge(&next, clone(*in.Relation), "RelationNumber", "SyncMarker", "CreateTimestamp", "ChangeTimestamp")
	st.relationMarker++
	next.SyncMarker, next.ChangeTimestamp = mpluskassa.Ptr(st.relationMarker), st.stamp()
	st.relations[*next.RelationNumber] = &next
	return "UpdateRelationResponse", mpluskassa.UpdateRelationResponse{Result: mpluskassa.UpdateRelationOK,
		ChangeTimestamp: next.ChangeTimestamp, SyncMarker: next.SyncMarker}, nil
}

func opGetVatGroupList(st *state, b *soap.Body) (string, any, error) {
	return "getVatGroupListResponse", mpluskassa.GetVatGroupListResponse{VatGroup: clone(st.vatGroups)}, b.Decode(&noInput{})
}

func opGetTurnoverGroups(st *state, b *soap.Body) (string, any, error) {
	if _, err := request[mpluskassa.GetTurnoverGroupsRequest](b); err != nil {
		return "", nil, err
	}
	return "GetTurnoverGroupsResponse", mpluskassa.GetTurnoverGroupsResponse{TurnoverGroupList: mpluskassa.TurnoverGroupList{TurnoverGroup: clone(st.turnoverGroups)}}, nil
}

func opGetPaymentMethods(st *state, b *soap.Body) (string, any, error) {
	return "GetPaymentMethodsResponse", mpluskassa.GetPaymentMethodsResponse{PaymentMethodList: mpluskassa.PaymentMethodList{PaymentMethod: clone(st.paymentMethods)}}, b.Decode(&noInput{})
}

func opGetBranches(st *state, b *soap.Body) (string, any, error) {
	return "getBranchesResponse", mpluskassa.GetBranchesResponse{Branches: mpluskassa.BranchList{Branch: clone(st.branches)}}, b.Decode(&noInput{})
}

func opGetEmployees(st *state, b *soap.Body) (string, any, error) {
	var in requestOf[mpluskassa.GetEmployeesRequest]
	if err := b.Decode(&in); err != nil {
		return "", nil, err
	}
	req := in.Request
	if req == nil {
		req = &mpluskassa.GetEmployeesRequest{}
	}
	var sel []*mpluskassa.Employee
	for _, e := range st.employees {
		if len(req.EmployeeNumbers) > 0 && !contains(req.EmployeeNumbers, *e.EmployeeNumber) {
			continue
		}
		sel = append(sel, e)
	}
	out := page(sel, func(e *mpluskassa.Employee) int64 { return *e.SyncMarker }, req.SyncMarker, req.SyncMarkerLimit, st.pageCap)
	return "GetEmployeesResponse", mpluskassa.GetEmployeesResponse{EmployeeList: mpluskassa.EmployeeList{Employee: out}}, nil
}
