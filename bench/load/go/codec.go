package main

import (
	"fmt"

	"google.golang.org/grpc/mem"
)

// rawCodec sends requests that are already marshalled ([]byte) and does not decode responses: decoding
// them would only measure this process. A response is copied only when the caller needs it (`keep`: an
// update's new revision number, a lane's starting revision). Named "proto" so the content type stays
// application/grpc+proto.
type rawCodec struct{}

// response receives one response message.
type response struct {
	keep  bool
	bytes []byte
}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	b, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: cannot marshal %T", v)
	}
	return mem.BufferSlice{mem.SliceBuffer(b)}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	r, ok := v.(*response)
	if !ok {
		return fmt.Errorf("rawCodec: cannot unmarshal into %T", v)
	}
	if r.keep {
		r.bytes = data.Materialize()
	}
	return nil
}
