<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<!-- Qt's own strings that PySide6's qtbase_zh_CN.qm lacks (Qt renamed them; the catalogue still
     has the old wording "Look in:", "Files of type:"; it has no QAbstractFileIconProvider at all,
     so the file list's Type column said "Folder"). Contexts and sources are Qt's own, so
     the desk installs this file after qtbase and the non-native file dialog reads Chinese.
     Hand-kept (lupdate cannot read Qt's C++); scripts/update_translations.sh qtbase_extra
     compiles it. -->
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
</TS>
