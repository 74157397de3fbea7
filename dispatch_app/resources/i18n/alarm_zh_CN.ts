<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlarmIntegration</name>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="88"/>
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="98"/>
        <source>Alarm rules…</source>
        <translation>报警规则…</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="101"/>
        <source>Edit the alarm rules (administrators)</source>
        <translation>编辑报警规则（管理员）</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="108"/>
        <source>Alarm panel</source>
        <translation>报警面板</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="154"/>
        <source>Reminder: %1 alarm(s) still unacknowledged</source>
        <translation>提醒：仍有 %1 条报警未确认</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="176"/>
        <source>Alarm evaluation failed: %1</source>
        <translation>报警判定失败：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="200"/>
        <source>Alarm rules changed on another workstation</source>
        <translation>报警规则已在其他席位修改</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="208"/>
        <source>Alarm: %1</source>
        <translation>报警：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="224"/>
        <source>%1 unacknowledged, %2 active, %3 shelved</source>
        <translation>未确认 %1 条，活动 %2 条，搁置 %3 条</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="307"/>
        <source>Alarm acknowledged</source>
        <translation>报警已确认</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="318"/>
        <source>Alarm shelved</source>
        <translation>报警已搁置</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="324"/>
        <source>Alarm back from the shelf</source>
        <translation>报警已取消搁置</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="333"/>
        <source>Open a case</source>
        <translation>立案</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="334"/>
        <source>Open a quality case for this alarm?
%1</source>
        <translation>为该报警创建环境质量问题事项？
%1</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/integration.py" line="350"/>
        <source>Only an administrator edits the alarm rules</source>
        <translation>只有管理员可以编辑报警规则</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="73"/>
        <source>High</source>
        <extracomment>Set on rows whose background is in the &quot;on&quot; phase of the flash (tests and screen readers).</extracomment>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="74"/>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="75"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="82"/>
        <source>Active, unacknowledged</source>
        <translation>报警中·未确认</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="85"/>
        <source>Active, acknowledged</source>
        <translation>报警中·已确认</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="88"/>
        <source>Cleared, unacknowledged</source>
        <translation>已消除·未确认</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="91"/>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="97"/>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="98"/>
        <source>6 hours</source>
        <translation>6 小时</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="99"/>
        <source>12 hours</source>
        <translation>12 小时</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="100"/>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="138"/>
        <source>Priority</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="139"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="140"/>
        <source>Station</source>
        <translation>站点/断面</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="141"/>
        <source>Alarm</source>
        <translation>报警内容</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="142"/>
        <source>Value</source>
        <translation>数值/限值</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="143"/>
        <source>Raised</source>
        <translation>触发时间</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="144"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="145"/>
        <source>Marks</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="208"/>
        <source>exercise</source>
        <translation>演练</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="210"/>
        <source>chattering</source>
        <translation>频繁振荡</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="212"/>
        <source>stale</source>
        <translation>长期未消除</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="216"/>
        <source>shelved until %1</source>
        <translation>搁置至 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="222"/>
        <source>case linked</source>
        <translation>已立案</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="377"/>
        <source>A acknowledge · S shelve · U unshelve · Enter open case</source>
        <translation>A 确认 · S 搁置 · U 取消搁置 · 回车 打开事项</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="457"/>
        <source>Alarm flood: %1 more alarms grouped</source>
        <translation>报警洪流：另有 %1 条报警已合并</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="469"/>
        <source>Alarms: ▲high %1 ◆medium %2 ●low %3</source>
        <translation>报警：▲高 %1 ◆中 %2 ●低 %3</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="482"/>
        <source>Acknowledge alarm</source>
        <translation>确认报警</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="488"/>
        <source>Note (optional): what was done</source>
        <translation>备注（可选）：已采取的措施</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="490"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="505"/>
        <source>Shelve alarm</source>
        <translation>搁置报警</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="515"/>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="517"/>
        <source>For</source>
        <translation>搁置时长</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/panel.py" line="518"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>AlarmRulesEditor</name>
    <message>
        <location filename="../../../ui/alarms/rules_editor.py" line="44"/>
        <location filename="../../../ui/alarms/rules_editor.py" line="145"/>
        <source>Alarm rules (revision %1)</source>
        <translation>报警规则（第 %1 版）</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/rules_editor.py" line="58"/>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/rules_editor.py" line="59"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/rules_editor.py" line="60"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/rules_editor.py" line="89"/>
        <source>%1 rules, all valid</source>
        <translation>共 %1 条规则，全部有效</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/rules_editor.py" line="132"/>
        <source>Someone saved revision %1 meanwhile; your text is kept here. Copy it, close, reopen the editor and apply your change again.</source>
        <translation>其他人已保存第 %1 版；您的内容仍保留在此。请复制后关闭，重新打开编辑器再修改。</translation>
    </message>
    <message>
        <location filename="../../../ui/alarms/rules_editor.py" line="146"/>
        <source>Saved as revision %1</source>
        <translation>已保存为第 %1 版</translation>
    </message>
</context>
</TS>
