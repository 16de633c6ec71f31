/* Linux errno -> FreeBSD errno (constants.md). 1-34 coincide except 11. */
#include "xlate.h"

static const unsigned char l2f[134] = {
	[11] = 35,  [35] = 11,  [36] = 63,  [37] = 77,  [38] = 78,  [39] = 66,  [40] = 62,
	[42] = 83,  [43] = 82,  [61] = 87,  [66] = 71,  [67] = 91,  [71] = 92,  [72] = 90,
	[74] = 89,  [75] = 84,  [84] = 86,  [87] = 68,  [88] = 38,  [89] = 39,  [90] = 40,
	[91] = 41,  [92] = 42,  [93] = 43,  [94] = 44,  [95] = 45,  [96] = 46,  [97] = 47,
	[98] = 48,  [99] = 49,  [100] = 50, [101] = 51, [102] = 52, [103] = 53, [104] = 54,
	[105] = 55, [106] = 56, [107] = 57, [108] = 58, [109] = 59, [110] = 60, [111] = 61,
	[112] = 64, [113] = 65, [114] = 37, [115] = 36, [116] = 70, [122] = 69, [125] = 85,
	[130] = 96, [131] = 95,
};

int errno_l2f(int e)
{
	if (e <= 0)
		return e;
	if (e < (int)sizeof l2f && l2f[e])
		return l2f[e];
	if (e <= 34)
		return e;
	/* Linux-only values fold onto the nearest FreeBSD meaning. */
	switch (e) {
	case 77: /* EBADFD */
		return 9;
	case 121: /* EREMOTEIO */
	case 117: /* EUCLEAN */
		return 5;
	case 62: /* ETIME */
		return 60;
	case 126: /* ENOKEY */
	case 127: case 128: case 129:
		return 5;
	case 512: case 513: case 514: case 516: /* ERESTART* never reach user space */
		return 4;
	default:
		return 22; /* EINVAL */
	}
}
