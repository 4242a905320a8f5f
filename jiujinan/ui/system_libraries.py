"""The system libraries Qt's X11 plugin (xcb) needs on a Linux desktop, by Debian/Ubuntu
package (UOS and Kylin use the same names). Without one of them Qt aborts with an English
message about "xcb"; the app looks first and says in Chinese which packages to install.
The README lists the same packages and ``.ci/run`` installs exactly the README's list
before starting the real GUI on an X server, so the list is proved on each run."""

from __future__ import annotations

import ctypes.util
import os
import sys

from PySide6.QtCore import QCoreApplication

# library (as ctypes.util.find_library names it) → the package that ships it
XCB_PLUGIN_LIBRARIES: dict[str, str] = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
    "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "X11-xcb": "libx11-xcb1",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1",
}


def uses_xcb(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will load its X11 plugin: on Linux, when asked for xcb or when nothing
    else is asked for and no Wayland session is running."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    return not env.get("WAYLAND_DISPLAY")


def missing_packages(find=ctypes.util.find_library) -> list[str]:  # noqa: ANN001
    """The packages whose libraries this system lacks, in the README's order."""
    return [package for library, package in XCB_PLUGIN_LIBRARIES.items() if not find(library)]


def missing_message(packages: list[str]) -> str:
    """What the person at the PC is told (on the terminal: no window can be shown)."""
    return QCoreApplication.translate(
        "system_libraries",
        "无法打开程序窗口：本机缺少图形界面所需的系统库。请让管理员安装后再打开：\n    sudo apt-get install {0}",
    ).format(" ".join(packages))
