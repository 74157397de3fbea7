"""The seven districts of Changzhou with their codes from docs/contracts.md."""

from __future__ import annotations

from enum import StrEnum


class District(StrEnum):
    LIYANG = "liyang"
    JINTAN = "jintan"
    WUJIN = "wujin"
    XINBEI = "xinbei"
    TIANNING = "tianning"
    ZHONGLOU = "zhonglou"
    JINGKAI = "jingkai"

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def name_en(self) -> str:
        return _EN[self]


_ZH = {
    District.LIYANG: "溧阳",
    District.JINTAN: "金坛",
    District.WUJIN: "武进",
    District.XINBEI: "新北",
    District.TIANNING: "天宁",
    District.ZHONGLOU: "钟楼",
    District.JINGKAI: "经开区",
}
_EN = {
    District.LIYANG: "Liyang",
    District.JINTAN: "Jintan",
    District.WUJIN: "Wujin",
    District.XINBEI: "Xinbei",
    District.TIANNING: "Tianning",
    District.ZHONGLOU: "Zhonglou",
    District.JINGKAI: "Economic Development Zone",
}
