"""Why a file was not read, in Chinese and in English (what the load summary prints)."""

from __future__ import annotations

Reason = tuple[str, str]

EMPTY_FILE: Reason = ("文件为空（0 字节）", "empty file (0 bytes)")
NO_CONTENT: Reason = ("文件（或工作表）中没有任何内容", "no content: the file (or sheet) is blank")
NO_DATA: Reason = ("表头下没有数据行", "no data rows after the header")
PASSWORD: Reason = (
    "工作簿有密码保护，请取消密码后另存再导入",
    "password-protected workbook: remove the password and save it again",
)
ENCODING: Reason = (
    "无法识别文件编码（不是 UTF-8、GBK 或 GB18030 文本）",
    "unreadable encoding (not UTF-8, GBK or GB18030 text)",
)
NO_SHEETS: Reason = ("工作簿中没有工作表", "workbook has no worksheets")


def corrupt(detail: str) -> Reason:
    return (f"工作簿已损坏或不完整，无法打开（{detail}）",
            f"corrupt or truncated workbook, cannot be opened ({detail})")


def binary(what: str | None) -> Reason:
    zh_what, en_what = BINARY_NAMES.get(what or "", ("二进制内容", "binary content"))
    return (f"不是电子表格文件（{zh_what}）", f"binary file that is not a spreadsheet ({en_what})")


BINARY_NAMES = {
    "png": ("PNG 图片", "a PNG image"),
    "jpeg": ("JPEG 图片", "a JPEG image"),
    "gif": ("GIF 图片", "a GIF image"),
    "pdf": ("PDF 文档", "a PDF document"),
    "zip": ("ZIP 压缩包，不是 Excel 工作簿", "a ZIP archive that is not an Excel workbook"),
    "gzip": ("GZIP 压缩包", "a GZIP archive"),
    "rar": ("RAR 压缩包", "a RAR archive"),
    "7z": ("7z 压缩包", "a 7z archive"),
    "ole2": ("Office 文档，不是 Excel 工作簿", "an Office document that is not an Excel workbook"),
}


def encoding_at(encoding: str, offset: int) -> Reason:
    return (f"文件编码无法识别：按 {encoding} 读取到第 {offset} 字节出错",
            f"unreadable encoding: reading as {encoding} fails at byte {offset}")


def unreadable(detail: str) -> Reason:
    return (f"文件无法读取（{detail}）", f"file cannot be read ({detail})")


def in_sheets(per_sheet: list[tuple[str, Reason]]) -> Reason:
    """A workbook none of whose sheets was recognised: each sheet's reason."""
    if len(per_sheet) == 1:
        return per_sheet[0][1]
    zh = "；".join(f"工作表「{name}」：{r[0]}" for name, r in per_sheet)
    en = "; ".join(f"sheet '{name}': {r[1]}" for name, r in per_sheet)
    return (f"工作簿中没有可识别的工作表。{zh}", f"no sheet of the workbook was recognised. {en}")
