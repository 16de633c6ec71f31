# BSDulator: a freestanding static binary (no libc). It is linked at a high
# fixed address so FreeBSD programs keep their usual low addresses.
TR_SRCS := $(filter-out translator/jail/%,$(wildcard translator/*/*.c))
TR_ASM := $(wildcard translator/*/*.S)
TR_GEN := $(BUILD)/gen/systable.c
TR_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TR_SRCS)) \
	$(patsubst %.S,$(BUILD)/obj/%.o,$(TR_ASM)) $(BUILD)/obj/gen/systable.o
TR_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -ffreestanding \
	-fno-stack-protector -fpie -fvisibility=hidden -mno-red-zone -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -Itranslator -MMD -MP
TR_LDFLAGS := -static -nostdlib -no-pie -Wl,-Ttext-segment=0x6fff00000000 -Wl,--build-id=none -Wl,--no-relax \
	-Wl,-z,noexecstack

.PHONY: translator
translator: $(BUILD)/bin/bsdulator

$(BUILD)/bin/bsdulator: $(TR_OBJS)
	@mkdir -p $(@D)
	$(CC) $(TR_LDFLAGS) -o $@ $^ -lgcc

$(TR_GEN): translator/abi/syscalls.tbl translator/abi/gentable.awk
	@mkdir -p $(@D)
	awk -f translator/abi/gentable.awk $< > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/systable.o: $(TR_GEN)
	@mkdir -p $(@D)
	$(CC) $(TR_CFLAGS) -c -o $@ $<

$(BUILD)/obj/translator/%.o: translator/%.c
	@mkdir -p $(@D)
	$(CC) $(TR_CFLAGS) -c -o $@ $<

$(BUILD)/obj/translator/%.o: translator/%.S
	@mkdir -p $(@D)
	$(CC) $(TR_CFLAGS) -c -o $@ $<

-include $(TR_OBJS:.o=.d)
