package mpluskassa

import (
	"context"
	"iter"
)

// TurnoverGroup is a revenue group (TurnoverGroup), numbered 0–999.
type TurnoverGroup struct {
	TurnoverGroupType string `xml:"turnoverGroupType"`
	TurnoverGroup     int    `xml:"turnoverGroup"`
	TurnoverGroupName string `xml:"turnoverGroupName"`
	// InclAmount and ExclAmount are cents (turnover reports only).
	InclAmount           *int64 `xml:"inclAmount,omitempty"`
	ExclAmount           *int64 `xml:"exclAmount,omitempty"`
	DefaultAccountNumber *int   `xml:"defaultAccountNumber,omitempty"`
	AccountNumber        *int   `xml:"accountNumber,omitempty"`
	AllowPointsDistrib   *bool  `xml:"allowPointsDistribution,omitempty"`
	AllowPointsPayment   *bool  `xml:"allowPointsPayment,omitempty"`
	AllowDiscount        *bool  `xml:"allowDiscount,omitempty"`
}

// GetTurnoverGroupsRequest selects turnover groups.
type GetTurnoverGroupsRequest struct {
	OnlyActive *bool `xml:"onlyActive,omitempty"`
}

// GetTurnoverGroupsResponse is the answer to getTurnoverGroups.
type GetTurnoverGroupsResponse struct {
	TurnoverGroupList TurnoverGroupList `xml:"turnoverGroupList"`
}

// TurnoverGroupList is a list of turnover groups (TurnoverGroupList).
type TurnoverGroupList struct {
	TurnoverGroup []TurnoverGroup `xml:"turnoverGroup"`
}

// PaymentMethod is a payment method (PaymentMethod); Method is the code
// used in Payment.Method and Order.PaymentMethod.
type PaymentMethod struct {
	Method              string  `xml:"method"`
	Description         string  `xml:"description"`
	ButtonText          string  `xml:"buttonText"`
	AllowNegativeAmount bool    `xml:"allowNegativeAmount"`
	Active              *bool   `xml:"active,omitempty"`
	Type                *string `xml:"type,omitempty"`
	AccountNumber       *int    `xml:"accountNumber,omitempty"`
}

// GetPaymentMethodsResponse is the answer to getPaymentMethods.
type GetPaymentMethodsResponse struct {
	PaymentMethodList PaymentMethodList `xml:"paymentMethodList"`
}

// PaymentMethodList is a list of payment methods (PaymentMethodList).
type PaymentMethodList struct {
	PaymentMethod []PaymentMethod `xml:"paymentMethod"`
}

// Branch is a shop or warehouse of the database (Branch).
type Branch struct {
	BranchNumber     int            `xml:"branchNumber"`
	BranchName       string         `xml:"branchName"`
	RelationNumber   *int64         `xml:"relationNumber,omitempty"`
	Abbreviation     string         `xml:"abbreviation"`
	ExtBranchID      *string        `xml:"extBranchId,omitempty"`
	IsFullSlave      *bool          `xml:"isFullSlave,omitempty"`
	PriceGroupNumber *int           `xml:"priceGroupNumber,omitempty"`
	Workplaces       *WorkplaceList `xml:"workplaces,omitempty"`
	CountryCode      int            `xml:"countryCode"`
	CountryIso3      string         `xml:"countryIso3"`
	CountryName      string         `xml:"countryName"`
}

// WorkplaceList is a branch's list of workplaces (tills).
type WorkplaceList struct {
	Workplace []Workplace `xml:"workplace"`
}

// Workplace is a till or other workplace of a branch (Workplace).
type Workplace struct {
	WorkplaceNumber int     `xml:"workplaceNumber"`
	WorkplaceName   string  `xml:"workplaceName"`
	IsMobile        bool    `xml:"isMobile"`
	WorkplaceType   *string `xml:"workplaceType,omitempty"`
}

// GetBranchesResponse is the answer to getBranches.
type GetBranchesResponse struct {
	Branches BranchList `xml:"branches"`
}

// BranchList is a list of branches (BranchList).
type BranchList struct {
	Branch []Branch `xml:"branch"`
}

// GetVatGroupListResponse is the answer to getVatGroupList: the current VAT
// rates of all branches, as repeated vatGroup elements.
type GetVatGroupListResponse struct {
	VatGroup []VatGroup `xml:"vatGroup"`
}

var (
	opGetVatGroupList   = operation{name: "getVatGroupList", response: "getVatGroupListResponse", idempotent: true}
	opGetTurnoverGroups = operation{name: "getTurnoverGroups", response: "GetTurnoverGroupsResponse", idempotent: true}
	opGetPaymentMethods = operation{name: "getPaymentMethods", response: "GetPaymentMethodsResponse", idempotent: true}
	opGetBranches       = operation{name: "getBranches", response: "getBranchesResponse", idempotent: true}
	opGetEmployees      = operation{name: "getEmployees", response: "GetEmployeesResponse", idempotent: true}
)

type getTurnoverGroupsIn struct {
	Request GetTurnoverGroupsRequest `xml:"request"`
}

// ReferenceService reads the reference data orders and articles point at.
type ReferenceService struct{ c *Client }

// GetVatGroupList calls getVatGroupList: the VAT rates of all branches.
func (s *ReferenceService) GetVatGroupList(ctx context.Context) ([]VatGroup, error) {
	return list(ctx, s.c, opGetVatGroupList, nil, func(r *GetVatGroupListResponse) []VatGroup { return r.VatGroup })
}

// GetTurnoverGroups calls getTurnoverGroups.
func (s *ReferenceService) GetTurnoverGroups(ctx context.Context, req GetTurnoverGroupsRequest) ([]TurnoverGroup, error) {
	return list(ctx, s.c, opGetTurnoverGroups, getTurnoverGroupsIn{req}, func(r *GetTurnoverGroupsResponse) []TurnoverGroup { return r.TurnoverGroupList.TurnoverGroup })
}

// GetPaymentMethods calls getPaymentMethods.
func (s *ReferenceService) GetPaymentMethods(ctx context.Context) ([]PaymentMethod, error) {
	return list(ctx, s.c, opGetPaymentMethods, nil, func(r *GetPaymentMethodsResponse) []PaymentMethod { return r.PaymentMethodList.PaymentMethod })
}

// GetBranches calls getBranches: the branches with their workplaces.
func (s *ReferenceService) GetBranches(ctx context.Context) ([]Branch, error) {
	return list(ctx, s.c, opGetBranches, nil, func(r *GetBranchesResponse) []Branch { return r.Branches.Branch })
}

// Employee is an employee (Employee), a subset of its fields.
type Employee struct {
	EmployeeNumber  *int64    `xml:"employeeNumber,omitempty"`
	ExtEmployeeID   *string   `xml:"extEmployeeId,omitempty"`
	SyncMarker      *int64    `xml:"syncMarker,omitempty"`
	CreateTimestamp *DateTime `xml:"createTimestamp,omitempty"`
	ChangeTimestamp *DateTime `xml:"changeTimestamp,omitempty"`
	Name            *string   `xml:"name,omitempty"`
	Username        *string   `xml:"username,omitempty"`
	Active          *bool     `xml:"active,omitempty"`
}

// GetEmployeesRequest selects employees (getEmployeesRequest).
type GetEmployeesRequest struct {
	EmployeeNumbers []int64 `xml:"employeeNumbers,omitempty"`
	SyncMarker      *int64  `xml:"syncMarker,omitempty"`
	SyncMarkerLimit *int    `xml:"syncMarkerLimit,omitempty"`
}

// GetEmployeesResponse is the answer to getEmployees.
type GetEmployeesResponse struct {
	EmployeeList EmployeeList `xml:"employeeList"`
}

// EmployeeList is a list of employees (EmployeeList).
type EmployeeList struct {
	Employee []Employee `xml:"employee"`
}

type getEmployeesIn struct {
	Request GetEmployeesRequest `xml:"request"`
}

// EmployeesService reads employees.
type EmployeesService struct{ c *Client }

// GetEmployees calls getEmployees: one page of employees.
func (s *EmployeesService) GetEmployees(ctx context.Context, req GetEmployeesRequest) ([]Employee, error) {
	return list(ctx, s.c, opGetEmployees, getEmployeesIn{req}, func(r *GetEmployeesResponse) []Employee { return r.EmployeeList.Employee })
}

// All streams every employee matching req by sync marker.
func (s *EmployeesService) All(ctx context.Context, req GetEmployeesRequest) iter.Seq2[Employee, error] {
	return pages(ctx, "employee", req, s.GetEmployees, func(e Employee) *int64 { return e.SyncMarker })
}
