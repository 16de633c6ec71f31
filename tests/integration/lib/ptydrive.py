#!/usr/bin/env python3
"""ptydrive.py STEP... -- COMMAND [ARG...]: runs COMMAND on a new pty and
plays the steps on it, in order:
  w:TEXT  type TEXT (backslash escapes: \\x10 is ctrl-p)
  e:TEXT  wait (up to 60 s) until TEXT appears in the output after what
          the previous e: matched; exit 99 when it does not
Then reads until COMMAND ends; prints everything it wrote (stdout and
stderr) and exits with its status. For tests of terminal input (detach
keys) that script(1) cannot time."""
import os, pty, select, sys, time

args = sys.argv[1:]
sep = args.index("--")
steps, cmd = args[:sep], args[sep + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out, mark = b"", 0


def pump(timeout):
    """Reads what there is within timeout; False once the pty is closed."""
    global out
    if not select.select([fd], [], [], timeout)[0]:
        return True
    try:
        d = os.read(fd, 65536)
    except OSError:
        return False
    out += d
    return bool(d)


for st in steps:
    kind, text = st[:2], st[2:].encode().decode("unicode_escape").encode("latin-1")
    if kind == "w:":
        os.write(fd, text)
    elif kind == "e:":
        end = time.monotonic() + 60
        while out.find(text, mark) < 0:
            if time.monotonic() > end or not pump(0.2):
                sys.stdout.buffer.write(out)
                sys.stderr.write("ptydrive: no %r in the output\n" % text)
                os.kill(pid, 9)
                sys.exit(99)
        mark = out.find(text, mark) + len(text)
    else:
        sys.exit("ptydrive: bad step %r" % st)
st = None
while st is None:
    pump(0.2)
    done, s = os.waitpid(pid, os.WNOHANG)
    st = s if done else None
while select.select([fd], [], [], 0.1)[0] and pump(0):
    pass
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(st) % 256)
