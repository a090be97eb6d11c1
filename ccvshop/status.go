package ccvshop

import (
	"fmt"
	"strconv"

	"github.com/tradelink/tradelink/connector"
)

// CCV Shop order status codes.
const (
	StatusNew                 = 1
	StatusInProcess           = 2
	StatusWaitForManufacturer = 3
	StatusWaitForPayment      = 4
	StatusSent                = 5
	StatusDelivered           = 6
	StatusCompleted           = 7
	StatusCancelled           = 8
	StatusWaitForSupplier     = 9
	StatusBeingPackaged       = 10
	StatusReadyForPickup      = 11
	StatusBeingAssembled      = 12
	StatusBackorder           = 13
	StatusReserved            = 14
)

// The status mapping, both directions, in one place.
//
// Reading: each of the 14 codes maps to the canonical status that says what
// the shop is doing with the order. The three "waiting" codes, Backorder
// and Reserved are on hold; packaging and assembling are processing.
//
// Writing back: each canonical status maps to the one code a shop user
// would pick for it. On hold becomes Backorder (13), the usual reason to
// hold a web-shop order. CCV Shop has no refund status (a refund shows on
// the invoice as "reimbursed"), so refunded becomes Cancelled (8).
var (
	statusFromCode = map[int]connector.OrderStatus{
		StatusNew:                 connector.StatusNew,
		StatusInProcess:           connector.StatusProcessing,
		StatusWaitForManufacturer: connector.StatusOnHold,
		StatusWaitForPayment:      connector.StatusAwaitingPayment,
		StatusSent:                connector.StatusShipped,
		StatusDelivered:           connector.StatusDelivered,
		StatusCompleted:           connector.StatusCompleted,
		StatusCancelled:           connector.StatusCancelled,
		StatusWaitForSupplier:     connector.StatusOnHold,
		StatusBeingPackaged:       connector.StatusProcessing,
		StatusReadyForPickup:      connector.StatusReadyForPickup,
		StatusBeingAssembled:      connector.StatusProcessing,
		StatusBackorder:           connector.StatusOnHold,
		StatusReserved:            connector.StatusOnHold,
	}
	codeFromStatus = map[connector.OrderStatus]int{
		connector.StatusNew:             StatusNew,
		connector.StatusAwaitingPayment: StatusWaitForPayment,
		connector.StatusProcessing:      StatusInProcess,
		connector.StatusOnHold:          StatusBackorder,
		connector.StatusReadyForPickup:  StatusReadyForPickup,
		connector.StatusShipped:         StatusSent,
		connector.StatusDelivered:       StatusDelivered,
		connector.StatusCompleted:       StatusCompleted,
		connector.StatusCancelled:       StatusCancelled,
		connector.StatusRefunded:        StatusCancelled,
	}
)

// CanonicalStatus maps a CCV Shop status code to the canonical status. An
// unknown code is an error naming it.
func CanonicalStatus(code int) (connector.OrderStatus, error) {
	s, ok := statusFromCode[code]
	if !ok {
		return "", fmt.Errorf("unknown CCV Shop order status code %d (known: 1–14)", code)
	}
	return s, nil
}

// StatusCode maps a canonical status to the CCV Shop code written back.
func StatusCode(s connector.OrderStatus) (int, error) {
	c, ok := codeFromStatus[s]
	if !ok {
		return 0, fmt.Errorf("%q is not a canonical order status", string(s))
	}
	return c, nil
}

// StatusCodes returns every CCV Shop code that reads as s, in ascending
// order (used to filter order lists by canonical status).
func StatusCodes(s connector.OrderStatus) []int {
	var out []int
	for c := StatusNew; c <= StatusReserved; c++ {
		if statusFromCode[c] == s {
			out = append(out, c)
		}
	}
	return out
}

func statusString(code Int) string { return strconv.FormatInt(int64(code), 10) }
