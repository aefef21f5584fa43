package cdc

// DecodeText turns the text form of a value of type oid, as a session with DateStyle=ISO,
// TimeZone=UTC and extra_float_digits=3 prints it, into the plain Go value documented on Row.
// It lets a query of a document (erpdb) give the very values the stream gives.
func DecodeText(oid uint32, text []byte) any { return decodeValue(oid, text) }
