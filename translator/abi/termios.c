/* Pure termios conversion: FreeBSD struct termios (44 bytes, NCCS 20,
 * numeric speeds) <-> Linux struct termios2 (TCGETS2/TCSETS2). Flag bits and
 * c_cc indices from constants.md "termios". No system calls. */
#include "fsabi.h"

struct bitmap {
	uint32_t f, l;
};

static const struct bitmap iflags[] = {
	{ 0x1, 0x1 }, { 0x2, 0x2 }, { 0x4, 0x4 }, { 0x8, 0x8 }, { 0x10, 0x10 },  /* IGNBRK..INPCK */
	{ 0x20, 0x20 }, { 0x40, 0x40 }, { 0x80, 0x80 }, { 0x100, 0x100 },       /* ISTRIP..ICRNL */
	{ 0x200, 0x400 },   /* IXON */
	{ 0x400, 0x1000 },  /* IXOFF */
	{ 0x800, 0x800 },   /* IXANY */
	{ 0x2000, 0x2000 }, /* IMAXBEL */
	{ 0x4000, 0x4000 }, /* IUTF8 */
};

static const struct bitmap oflags[] = {
	{ 0x1, 0x1 },     /* OPOST */
	{ 0x2, 0x4 },     /* ONLCR */
	{ 0x4, 0x1800 },  /* OXTABS = TAB3 */
	{ 0x10, 0x8 },    /* OCRNL */
	{ 0x20, 0x10 },   /* ONOCR */
	{ 0x40, 0x20 },   /* ONLRET */
};

static const struct bitmap cflags[] = {
	{ 0x400, 0x40 },   /* CSTOPB */
	{ 0x800, 0x80 },   /* CREAD */
	{ 0x1000, 0x100 }, /* PARENB */
	{ 0x2000, 0x200 }, /* PARODD */
	{ 0x4000, 0x400 }, /* HUPCL */
	{ 0x8000, 0x800 }, /* CLOCAL */
};
#define F_CSIZE 0x300
#define L_CSIZE 0x30
#define F_CRTSCTS 0x30000 /* CCTS_OFLOW | CRTS_IFLOW */
#define L_CRTSCTS 0x80000000U
#define L_CBAUD 0x100fU
#define L_CIBAUD 0x100f0000U
#define L_BOTHER 0x1000U

static const struct bitmap lflags[] = {
	{ 0x1, 0x800 },         /* ECHOKE */
	{ 0x2, 0x10 },          /* ECHOE */
	{ 0x4, 0x20 },          /* ECHOK */
	{ 0x8, 0x8 },           /* ECHO */
	{ 0x10, 0x40 },         /* ECHONL */
	{ 0x20, 0x400 },        /* ECHOPRT */
	{ 0x40, 0x200 },        /* ECHOCTL */
	{ 0x80, 0x1 },          /* ISIG */
	{ 0x100, 0x2 },         /* ICANON */
	{ 0x400, 0x8000 },      /* IEXTEN */
	{ 0x800, 0x10000 },     /* EXTPROC */
	{ 0x400000, 0x100 },    /* TOSTOP */
	{ 0x800000, 0x1000 },   /* FLUSHO */
	{ 0x20000000, 0x4000 }, /* PENDIN */
	{ 0x80000000, 0x80 },   /* NOFLSH */
};

/* FreeBSD c_cc index -> Linux index, -1 = FreeBSD only. */
static const signed char cc_f2l[FNCCS] = {
	4,  /* VEOF */
	11, /* VEOL */
	16, /* VEOL2 */
	2,  /* VERASE */
	14, /* VWERASE */
	3,  /* VKILL */
	12, /* VREPRINT */
	-1, /* VERASE2 */
	0,  /* VINTR */
	1,  /* VQUIT */
	10, /* VSUSP */
	-1, /* VDSUSP */
	8,  /* VSTART */
	9,  /* VSTOP */
	15, /* VLNEXT */
	13, /* VDISCARD */
	6,  /* VMIN */
	5,  /* VTIME */
	-1, /* VSTATUS */
	-1, /* spare */
};
#define F_VMIN 16
#define F_VTIME 17
#define F_VDISABLE 0xff

static const uint32_t speeds[] = {
	0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
};
static const uint32_t speeds_ex[] = {
	0, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000,
	2000000, 2500000, 3000000, 3500000, 4000000,
};

static uint32_t map_bits(uint32_t v, const struct bitmap *m, unsigned n, int to_linux)
{
	uint32_t r = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t from = to_linux ? m[i].f : m[i].l, to = to_linux ? m[i].l : m[i].f;
		if ((v & from) == from)
			r |= to;
	}
	return r;
}

static uint32_t code_speed(uint32_t code)
{
	if (code & L_BOTHER)
		return (code & 0xf) ? speeds_ex[code & 0xf] : 0;
	return speeds[code & 0xf];
}

/* Linux Bxxx code for a numeric speed, or BOTHER. */
static uint32_t speed_code(uint32_t s)
{
	for (unsigned i = 0; i < sizeof speeds / sizeof speeds[0]; i++)
		if (speeds[i] == s)
			return i;
	for (unsigned i = 1; i < sizeof speeds_ex / sizeof speeds_ex[0]; i++)
		if (speeds_ex[i] == s)
			return L_BOTHER | i;
	return L_BOTHER;
}

void termios_l2f(const struct ltermios2 *l, struct ftermios *f)
{
	f->c_iflag = map_bits(l->c_iflag, iflags, sizeof iflags / sizeof iflags[0], 0);
	f->c_oflag = map_bits(l->c_oflag, oflags, sizeof oflags / sizeof oflags[0], 0);
	uint32_t c = map_bits(l->c_cflag, cflags, sizeof cflags / sizeof cflags[0], 0);
	c |= (l->c_cflag & L_CSIZE) << 4;
	if (l->c_cflag & L_CRTSCTS)
		c |= F_CRTSCTS;
	f->c_cflag = c;
	f->c_lflag = map_bits(l->c_lflag, lflags, sizeof lflags / sizeof lflags[0], 0);
	for (int i = 0; i < FNCCS; i++) {
		int li = cc_f2l[i];
		if (li < 0)
			f->c_cc[i] = F_VDISABLE;
		else if (i == F_VMIN || i == F_VTIME)
			f->c_cc[i] = l->c_cc[li];
		else
			f->c_cc[i] = l->c_cc[li] ? l->c_cc[li] : F_VDISABLE;
	}
	uint32_t ocode = l->c_cflag & L_CBAUD;
	uint32_t icode = (l->c_cflag & L_CIBAUD) >> 16;
	f->c_ospeed = (ocode == L_BOTHER || l->c_ospeed) ? l->c_ospeed : code_speed(ocode);
	if (icode == L_BOTHER || l->c_ispeed)
		f->c_ispeed = l->c_ispeed;
	else
		f->c_ispeed = icode ? code_speed(icode) : f->c_ospeed;
}

void termios_f2l(const struct ftermios *f, struct ltermios2 *l)
{
	l->c_iflag = map_bits(f->c_iflag, iflags, sizeof iflags / sizeof iflags[0], 1);
	l->c_oflag = map_bits(f->c_oflag, oflags, sizeof oflags / sizeof oflags[0], 1);
	uint32_t c = map_bits(f->c_cflag, cflags, sizeof cflags / sizeof cflags[0], 1);
	c |= (f->c_cflag & F_CSIZE) >> 4;
	if (f->c_cflag & F_CRTSCTS)
		c |= L_CRTSCTS;
	c |= speed_code(f->c_ospeed);
	/* FreeBSD: c_ispeed 0 means "same as the output speed". */
	if (f->c_ispeed && f->c_ispeed != f->c_ospeed)
		c |= speed_code(f->c_ispeed) << 16;
	l->c_cflag = c;
	l->c_lflag = map_bits(f->c_lflag, lflags, sizeof lflags / sizeof lflags[0], 1);
	l->c_line = 0;
	for (int i = 0; i < LNCCS; i++)
		l->c_cc[i] = 0;
	for (int i = 0; i < FNCCS; i++) {
		int li = cc_f2l[i];
		if (li < 0)
			continue;
		if (i == F_VMIN || i == F_VTIME)
			l->c_cc[li] = f->c_cc[i];
		else
			l->c_cc[li] = f->c_cc[i] == F_VDISABLE ? 0 : f->c_cc[i];
	}
	l->c_ospeed = f->c_ospeed;
	l->c_ispeed = f->c_ispeed ? f->c_ispeed : f->c_ospeed;
}
