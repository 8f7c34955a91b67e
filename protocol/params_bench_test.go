package protocol

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecodeParams: an initiateCall's params, decoded strictly (the
// field names checked as well) as every request's are.
func BenchmarkDecodeParams(b *testing.B) {
	raw := json.RawMessage(`{"receiverId":"bob","receiverType":"user","callType":"video","timeout":30,"clientRequestId":"r-123"}`)
	b.ReportAllocs()
	for b.Loop() {
		var p InitiateParams
		if err := DecodeParams(raw, &p); err != nil {
			b.Fatal(err)
		}
	}
}
