package mpluskassa

// allOperations lists every operation the client sends.
var allOperations = []operation{
	opGetAPIVersion, opGetCurrentSyncMarkers,
	opGetProducts, opCreateProduct, opUpdateProduct,
	opGetStock, opUpdateStock, opSetStock,
	opGetOrders, opGetOrder, opFindOrder, opCreateOrder, opCreateOrderV3, opSaveOrder, opCancelOrder, opDeliverOrder,
	opFindRelationV2, opGetRelation, opGetRelations, opCreateRelation, opUpdateRelation,
	opGetVatGroupList, opGetTurnoverGroups, opGetPaymentMethods, opGetBranches, opGetEmployees,
}

// OperationNames returns the name of every operation the client sends, for
// the external schema test's coverage check.
func OperationNames() []string {
	out := make([]string, len(allOperations))
	for i, op := range allOperations {
		out[i] = op.name
	}
	return out
}

// Idempotent reports whether the client retries operation name.
func Idempotent(name string) bool {
	for _, op := range allOperations {
		if op.name == name {
			return op.idempotent
		}
	}
	return false
}
