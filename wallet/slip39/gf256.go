package slip39

// Arithmetic in GF(256) with the Rijndael polynomial x^8 + x^4 + x^3 + x + 1, as SLIP-0039
// requires. Multiplication avoids lookup tables so its timing does not depend on the secret
// bytes it multiplies.

// gfMul multiplies two field elements in constant time.
func gfMul(a, b byte) byte {
	var p byte
	for range 8 {
		p ^= -(b & 1) & a
		carry := -(a >> 7)
		a = a<<1 ^ (carry & 0x1b)
		b >>= 1
	}
	return p
}

// gfInv is the multiplicative inverse, a^254; the inverse of 0 comes out as 0, which callers
// never ask for (share indices are distinct).
func gfInv(a byte) byte {
	r := byte(1)
	base := a
	for e := 254; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = gfMul(r, base)
		}
		base = gfMul(base, base)
	}
	return r
}

// point is one share of a byte-wise Shamir scheme: an index and a value per secret byte.
type point struct {
	x byte
	y []byte
}

// interpolate evaluates at x the polynomials (one per byte) through points by Lagrange's
// formula. The points must have distinct x and values of one length. Addition and
// subtraction in GF(256) are both xor.
func interpolate(points []point, x byte) []byte {
	n := len(points[0].y)
	for _, p := range points {
		if p.x == x {
			return append([]byte(nil), p.y...)
		}
	}
	out := make([]byte, n)
	for i, pi := range points {
		num, den := byte(1), byte(1)
		for j, pj := range points {
			if j == i {
				continue
			}
			num = gfMul(num, x^pj.x)
			den = gfMul(den, pi.x^pj.x)
		}
		basis := gfMul(num, gfInv(den))
		for k := range n {
			out[k] ^= gfMul(basis, pi.y[k])
		}
	}
	return out
}
