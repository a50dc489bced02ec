"""The footprint with 100,000 drafts and 50,000 requests stored.

Seeds a SQLite file (migrated by the bot itself, one real draft copied 100,000 times, 50,000
requests in five statuses with their history), then measures `requests list` and `stats` as
processes, and `serve`: time to ready, resident memory and idle CPU over ARG seconds (60).

    cargo build --release && python3 benches/footprint.py [SECONDS]

Python's standard library only; Linux (/proc).
"""
import os, re, shutil, sqlite3, subprocess, sys, tempfile, time, urllib.request
B = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'target', 'release', 'waba-onboard')
d = tempfile.mkdtemp(prefix='waba-footprint-')
db = f'{d}/fp.db'; url = f'sqlite://{db}'
env = dict(os.environ, WABA_DATABASE_URL=url, LANG='en_US.UTF-8')
# A real draft: a console conversation up to the logo question.
inp = "2\nloja1\nana@loja1.com.br\n123456789012345\n1\nLoja Azul\n1\n"
subprocess.run([B, 'chat'], input=inp.encode(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
c = sqlite3.connect(db)
row = c.execute("SELECT state, step, locale FROM drafts LIMIT 1").fetchone()
assert row, "no draft"
state, step, locale = row
now = int(time.time() * 1000)
c.execute("DELETE FROM drafts")
c.executemany("INSERT INTO drafts (user_key, draft_id, step, locale, state, logo, created_at, updated_at) VALUES (?,?,?,?,?,NULL,?,?)",
    ((f"telegram:{10_000_000+i}", f"00000000-0000-4000-8000-{i:012d}", step, locale, state, now, now) for i in range(100_000)))
start = now - 50_001 * 60_000
c.execute(f"""INSERT INTO requests (id, reference, status, channel, user_id, locale, store_account,
 requester_email, business_portfolio_id, display_name, phone, category, description,
 existing_account, business_verification, whatsapp_use, logo, logo_format, logo_width,
 logo_height, logo_bytes, problems, created_at, updated_at, status_changed_at, ticket_id)
 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
 SELECT 'fp-' || i, printf('WA-%06d', i),
 CASE i % 5 WHEN 0 THEN 'active' WHEN 1 THEN 'in_review' WHEN 2 THEN 'submitted'
 WHEN 3 THEN 'awaiting_client_approval' ELSE 'rejected' END,
 CASE i % 3 WHEN 0 THEN 'telegram' WHEN 1 THEN 'discord' ELSE 'slack' END,
 'u' || i, 'pt-BR', 'loja' || i, 'ana@loja.com.br', '123456789012345', 'Loja ' || i,
 printf('+5511%09d', i), 'RETAIL', NULL, 0, 'verified', 'not_in_use', x'', 'png', 640,
 640, 7680, '[]', {start} + i * 60000, {start} + i * 60000, {start} + i * 60000 + 3600000, i FROM n""")
c.execute("INSERT INTO request_history (request_id, from_status, to_status, at, actor) SELECT id, NULL, 'submitted', created_at, 'fp' FROM requests")
c.execute("INSERT INTO request_history (request_id, from_status, to_status, at, actor) SELECT id, 'submitted', status, status_changed_at, 'fp' FROM requests WHERE status <> 'submitted'")
c.commit()
print("drafts", c.execute("SELECT COUNT(*) FROM drafts").fetchone()[0], "requests", c.execute("SELECT COUNT(*) FROM requests").fetchone()[0], "db MiB", round(os.path.getsize(db)/2**20, 1))
c.close()
def timed(args, n=5):
    xs = []
    for _ in range(n):
        s = time.perf_counter(); r = subprocess.run([B] + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); xs.append((time.perf_counter() - s) * 1000)
        assert r.returncode == 0, r.stderr
    xs.sort(); return f"median {xs[len(xs)//2]:.0f} ms (process, {n} runs)"
print("requests list:", timed(['requests', 'list']))
print("stats:", timed(['stats']))
# serve: RSS and idle CPU
senv = dict(env, WABA_HTTP_ADDR='127.0.0.1:18099')  # a port of its own
p = subprocess.Popen([B, 'serve'], env=senv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t0 = time.perf_counter()
while True:
    try:
        if urllib.request.urlopen('http://127.0.0.1:18099/readyz', timeout=1).status == 200: break
    except Exception: time.sleep(0.005)
print(f"serve ready in {(time.perf_counter()-t0)*1000:.0f} ms")
def status():
    s = open(f'/proc/{p.pid}/status').read()
    return {k: int(re.search(rf'{k}:\s+(\d+)', s).group(1)) // 1024 for k in ('VmRSS', 'VmHWM')}
def ticks():
    f = open(f'/proc/{p.pid}/stat').read().rsplit(')', 1)[1].split()
    return int(f[11]) + int(f[12])
time.sleep(5)
a = ticks(); ta = time.perf_counter()
time.sleep(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
b = ticks(); tb = time.perf_counter()
print("serve idle CPU", round((b - a) / 100 / (tb - ta) * 100, 2), "% of a core over", round(tb - ta), "s;", "RSS MiB", status())
p.terminate(); p.wait()
shutil.rmtree(d)
