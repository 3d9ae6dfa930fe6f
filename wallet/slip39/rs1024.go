package slip39

// Customization strings of the RS1024 checksum: the extendable flag chooses one, so a share
// whose flag bit is flipped fails its checksum.
const (
	customization           = "shamir"
	customizationExtendable = "shamir_extendable"
)

// rs1024Gen are the generator constants of SLIP-0039's Reed-Solomon code over GF(1024).
var rs1024Gen = [10]uint32{
	0x00e0e040, 0x01c1c080, 0x03838100, 0x07070200, 0x0e0e0009,
	0x1c0c2412, 0x38086c24, 0x3090fc48, 0x21b1f890, 0x03f3f120,
}

// rs1024Polymod runs the checksum polynomial over the customization string and then values.
func rs1024Polymod(cs string, values []int) uint32 {
	chk := uint32(1)
	step := func(v uint32) {
		b := chk >> 20
		chk = (chk&0xfffff)<<10 ^ v
		for i := range 10 {
			if (b>>i)&1 == 1 {
				chk ^= rs1024Gen[i]
			}
		}
	}
	for i := 0; i < len(cs); i++ {
		step(uint32(cs[i]))
	}
	for _, v := range values {
		step(uint32(v))
	}
	return chk
}

func checksumString(extendable bool) string {
	if extendable {
		return customizationExtendable
	}
	return customization
}

// rs1024Verify reports whether a whole share (data and three checksum words) is valid.
func rs1024Verify(extendable bool, words []int) bool {
	return rs1024Polymod(checksumString(extendable), words) == 1
}

// rs1024Checksum is the three checksum words for the data words.
func rs1024Checksum(extendable bool, data []int) [3]int {
	values := make([]int, len(data)+3)
	copy(values, data)
	pm := rs1024Polymod(checksumString(extendable), values) ^ 1
	return [3]int{int(pm>>20) & 1023, int(pm>>10) & 1023, int(pm) & 1023}
}
