#!/usr/bin/env python3
"""Takes the console's screenshots in docs/ (matrix, a unit, "Cần xử lý") from the demo register,
in headless chromium driven through chromium-driver (WebDriver, plain JSON over HTTP).

    cargo build && scripts/console-screenshots.py [target/debug/baocao]

Each page is shot whole: the window is made as tall as the page first. The browser's own date
and time fields (the extension form) show in the browser's locale, en-US here.
"""
import base64, json, os, pathlib, subprocess, sys, tempfile, time, urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/debug/baocao")
NOW = "2023-02-02T08:00:00+07:00"
WEB, DRIVER = 47180, 47181
SHOTS = [("console-matrix.png", "/cong-van/809-CV-HU"),
         ("console-unit.png", "/cong-van/809-CV-HU/don-vi/loc-thanh"),
         ("console-can-xu-ly.png", "/can-xu-ly")]


def wd(method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{DRIVER}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)["value"]


def wait(url, tries=100):
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


with tempfile.TemporaryDirectory() as tmp:
    data = pathlib.Path(tmp) / "demo"
    subprocess.run([BIN, "demo", "--data", str(data)], check=True, stdout=subprocess.DEVNULL)
    cfg = str(data / "config/baocao.toml")
    env = dict(os.environ, BAOCAO_PASSWORD="mat-khau-lan-1")
    subprocess.run([BIN, "--config", cfg, "users", "add", "lan", "--role", "sua"], check=True, env=env)
    web = subprocess.Popen([BIN, "--config", cfg, "--now", NOW, "web", "--listen", f"127.0.0.1:{WEB}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = subprocess.Popen(["chromedriver", f"--port={DRIVER}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait(f"http://127.0.0.1:{WEB}/dang-nhap")
        wait(f"http://127.0.0.1:{DRIVER}/status")
        sid = wd("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--window-size=1280,900"]}}}})["sessionId"]
        s = f"/session/{sid}"
        base = f"http://127.0.0.1:{WEB}"
        wd("POST", f"{s}/url", {"url": f"{base}/dang-nhap"})
        for sel, text in [("input[name=name]", "lan"), ("input[name=password]", "mat-khau-lan-1")]:
            el = wd("POST", f"{s}/element", {"using": "css selector", "value": sel})
            wd("POST", f"{s}/element/{list(el.values())[0]}/value", {"text": text})
        el = wd("POST", f"{s}/element", {"using": "css selector", "value": "form button[type=submit]"})
        wd("POST", f"{s}/element/{list(el.values())[0]}/click", {})
        time.sleep(1)
        for name, path in SHOTS:
            wd("POST", f"{s}/window/rect", {"width": 1280, "height": 900})
            wd("POST", f"{s}/url", {"url": base + path})
            h = wd("POST", f"{s}/execute/sync",
                   {"script": "return document.documentElement.scrollHeight", "args": []})
            # The window's height counts the browser's own bars: add them.
            bars = wd("POST", f"{s}/execute/sync",
                      {"script": "return window.outerHeight - window.innerHeight", "args": []})
            wd("POST", f"{s}/window/rect", {"width": 1280, "height": h + bars})
            png = base64.b64decode(wd("GET", f"{s}/screenshot"))
            (ROOT / "docs" / name).write_bytes(png)
            print(f"docs/{name}: 1280 x {h}")
        wd("DELETE", s)
    finally:
        driver.terminate()
        web.terminate()
        driver.wait()
        web.wait()
