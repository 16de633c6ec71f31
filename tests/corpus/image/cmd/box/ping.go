package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

// ping [-c COUNT] [-W SECONDS] HOST: ICMP echo over a raw socket, as
// FreeBSD's ping (which needs NET_RAW in a jail); the echo request is
// built here (no golang.org/x/net). Exit 0 with a reply, 2 without, 1 on
// an error such as "ping: socket: Operation not permitted".
func ping(args []string) int {
	_, val, rest, bad := flags(args, "cW", "cW")
	if bad != 0 || len(rest) != 1 {
		return usage("ping [-c count] [-W seconds] host")
	}
	count, _ := strconv.Atoi(val['c'])
	wait, _ := strconv.Atoi(val['W'])
	if count <= 0 {
		count = 1
	}
	if wait <= 0 {
		wait = 2
	}
	dst, err := net.ResolveIPAddr("ip4", rest[0])
	if err != nil {
		warn("cannot resolve %s: %v", rest[0], err)
		return 2
	}
	c, err := net.ListenPacket("ip4:icmp", "0.0.0.0")
	if err != nil {
		var se *os.SyscallError
		if errors.As(err, &se) {
			warn("%s: %s", se.Syscall, errText(se))
		} else {
			warn("%v", err)
		}
		return 1
	}
	defer c.Close()
	id, got, buf := os.Getpid()&0xffff, 0, make([]byte, 1500)
	for seq := 0; seq < count; seq++ {
		start := time.Now()
		if _, err := c.WriteTo(echoRequest(id, seq), dst); err != nil {
			warn("sendto: %v", err)
			return 1
		}
		c.SetReadDeadline(start.Add(time.Duration(wait) * time.Second))
		for {
			n, from, err := c.ReadFrom(buf) // Go strips the IPv4 header
			if err != nil {
				break
			}
			m := buf[:n]
			if n >= 8 && m[0] == 0 && int(m[4])<<8|int(m[5]) == id && int(m[6])<<8|int(m[7]) == seq &&
				from.String() == dst.String() {
				got++
				fmt.Fprintf(stdout, "%d bytes from %s: icmp_seq=%d time=%.3f ms\n", n, from,
					seq, float64(time.Since(start).Microseconds())/1000)
				break
			}
		}
	}
	fmt.Fprintf(stdout, "%d packets transmitted, %d packets received\n", count, got)
	if got == 0 {
		return 2
	}
	return 0
}

// echoRequest is ICMP type 8 with id, seq and 16 bytes of payload, with
// the Internet checksum (RFC 1071) over all of it.
func echoRequest(id, seq int) []byte {
	m := []byte{8, 0, 0, 0, byte(id >> 8), byte(id), byte(seq >> 8), byte(seq)}
	m = append(m, "lochsbox ping..."...)
	sum := 0
	for i := 0; i+1 < len(m); i += 2 {
		sum += int(m[i])<<8 | int(m[i+1])
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	m[2], m[3] = byte(^sum>>8), byte(^sum)
	return m
}
