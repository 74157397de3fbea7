<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PendingClosures</name>
    <message>
        <location filename="../../../ui/cases/closure_requests.py" line="57"/>
        <source>Awaiting my approval</source>
        <translation>待我审批</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/closure_requests.py" line="57"/>
        <source>Awaiting approval</source>
        <translation>待审批办结</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/closure_requests.py" line="118"/>
        <source>New closure request: %1 (%2)</source>
        <translation>新的办结申请：%1（%2 申请）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/closure_requests.py" line="122"/>
        <source>Your closure request for %1 was refused: %2</source>
        <translation>您对 %1 的办结申请被退回：%2</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/closure_requests.py" line="126"/>
        <source>Your closure request for %1 was approved; the case is closed.</source>
        <translation>您对 %1 的办结申请已批准，事项已办结。</translation>
    </message>
</context>
</TS>
