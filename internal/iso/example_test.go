package iso_test

import (
	"fmt"

	"github.com/tradelink/tradelink/internal/iso"
)

func Example() {
	fmt.Println(iso.IsCountry("NL"), iso.IsCountry("nl"), iso.IsEU("BE"), iso.IsEU("CH"), iso.IsCurrency("SEK"))
	fmt.Println(iso.NormalizeCountry(" uk "))
	// Output:
	// true false true false true
	// GB
}
