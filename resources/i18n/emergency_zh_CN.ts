<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../../ui/alert_banner.py" line="47"/>
        <source>Open the alert&apos;s case</source>
        <translation>打开预警事项</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="48"/>
        <source>Change alert…</source>
        <translation>调整预警…</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="64"/>
        <source>YELLOW heavy-pollution weather alert</source>
        <translation>重污染天气黄色预警</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="65"/>
        <source>ORANGE heavy-pollution weather alert</source>
        <translation>重污染天气橙色预警</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="66"/>
        <source>RED heavy-pollution weather alert</source>
        <translation>重污染天气红色预警</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="74"/>
        <source>No heavy-pollution weather alert</source>
        <translation>当前无重污染天气预警</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="77"/>
        <source>No heavy-pollution weather alert (lifted {0} by {1})</source>
        <translation>当前无重污染天气预警（{0}由{1}解除）</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="86"/>
        <source> [EXERCISE]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../../ui/alert_banner.py" line="88"/>
        <source>{0}{1} — since {2}: {3}</source>
        <translation>{0}{1} — 自{2}起：{3}</translation>
    </message>
</context>
<context>
    <name>AlertDialog</name>
    <message>
        <location filename="../../ui/emergency_integration.py" line="56"/>
        <source>Heavy-pollution weather alert</source>
        <translation>重污染天气预警</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="59"/>
        <source>No alert (lift)</source>
        <translation>无预警（解除）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="60"/>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="61"/>
        <source>Orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="62"/>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="66"/>
        <source>Forecast and reason (required)</source>
        <translation>预报情况与理由（必填）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="67"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="68"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <location filename="../../ui/emergency_integration.py" line="82"/>
        <source>Start a drill</source>
        <translation>开始演练</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="91"/>
        <source>Scenario</source>
        <translation>演练场景</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="92"/>
        <source>Speed</source>
        <translation>倍速</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="95"/>
        <source>Everything the drill produces is marked exercise and can be removed as a whole afterwards.</source>
        <translation>演练产生的一切均标记为演练，结束后可整体删除。</translation>
    </message>
</context>
<context>
    <name>EmergencyIntegration</name>
    <message>
        <location filename="../../ui/emergency_integration.py" line="141"/>
        <source>Pollution alert</source>
        <translation>污染预警</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="145"/>
        <source>Emergency</source>
        <translation>突发环境事件</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="152"/>
        <source>&amp;Emergencies</source>
        <translation>突发事件(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="158"/>
        <source>Change heavy-pollution alert…</source>
        <translation>调整重污染天气预警…</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="164"/>
        <source>Coordination log entry</source>
        <translation>协调日志录入</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="171"/>
        <source>Export coordination log as PDF…</source>
        <translation>导出协调日志PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="177"/>
        <source>Import CAP message…</source>
        <translation>导入CAP消息…</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="185"/>
        <source>Start a drill…</source>
        <translation>开始演练…</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="189"/>
        <source>End the drill</source>
        <translation>结束演练</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="192"/>
        <source>Drill report…</source>
        <translation>演练报告…</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="198"/>
        <source>Remove the drill&apos;s cases (shift leader)…</source>
        <translation>删除演练事项（带班领导）…</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="353"/>
        <source>No monitoring wall to show {0}</source>
        <translation>未打开监控墙，无法显示{0}</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="387"/>
        <source>CAP message {0} ({1}) recorded as sent</source>
        <translation>CAP消息{0}（{1}）已记为发送</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="402"/>
        <source>Log exported to {0}</source>
        <translation>日志已导出至{0}</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="407"/>
        <source>Select an emergency case first</source>
        <translation>请先选择突发环境事件</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="412"/>
        <source>Export coordination log</source>
        <translation>导出协调日志</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="422"/>
        <source>Import CAP message</source>
        <translation>导入CAP消息</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="430"/>
        <source>CAP message {0}: {1}</source>
        <translation>CAP消息{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="465"/>
        <source>A drill is already running</source>
        <translation>已有演练正在进行</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="481"/>
        <source>Drill started: {0} at {1}×</source>
        <translation>演练已开始：{0}，{1}倍速</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="488"/>
        <source>Drill ending</source>
        <translation>演练正在结束</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="492"/>
        <location filename="../../ui/emergency_integration.py" line="500"/>
        <source>No drill yet</source>
        <translation>尚无演练</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="495"/>
        <source>Drill report</source>
        <translation>演练报告</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_integration.py" line="504"/>
        <source>Drill removed: {0} cases</source>
        <translation>演练已删除：{0}个事项</translation>
    </message>
</context>
<context>
    <name>EmergencyLogPdf</name>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="24"/>
        <source>Activity log (ICS-214)</source>
        <translation>应急处置活动记录（ICS-214）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="25"/>
        <source>Incident</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="26"/>
        <source>[EXERCISE]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="27"/>
        <source>Operational period</source>
        <translation>处置时段</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="28"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="29"/>
        <source>not decided</source>
        <translation>未定级</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="30"/>
        <source>proposed</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="31"/>
        <source>Response plan steps</source>
        <translation>预案步骤</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="32"/>
        <source>Level decisions</source>
        <translation>定级记录</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="33"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="34"/>
        <source>Owner</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="35"/>
        <source>Target (min)</source>
        <translation>时限（分钟）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="36"/>
        <source>Finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="37"/>
        <source>Took (min)</source>
        <translation>用时（分钟）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="38"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="39"/>
        <source>Notable activities</source>
        <translation>主要活动</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="40"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="41"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="42"/>
        <source>Activity</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="43"/>
        <source>By</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="44"/>
        <source>Prepared by</source>
        <translation>填报人</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="45"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="46"/>
        <source>OVERDUE</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="47"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_log_pdf.py" line="48"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
</context>
<context>
    <name>EmergencyPanel</name>
    <message>
        <location filename="../../ui/emergency_panel.py" line="101"/>
        <source>No emergency selected</source>
        <translation>未选择突发环境事件</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="112"/>
        <source>Level (2014 national plan)</source>
        <translation>事件级别（2014年国家预案）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="120"/>
        <source>Proposed from the figures</source>
        <translation>按数字建议</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="121"/>
        <source>Decided</source>
        <translation>已定级别</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="127"/>
        <source>Reason (required to change a level or depart from the proposal)</source>
        <translation>理由（调整级别或不采用建议级别时必填）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="129"/>
        <source>Decide level (shift leader)</source>
        <translation>确定级别（带班领导）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="143"/>
        <source>Reported figures</source>
        <translation>报告数字</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="146"/>
        <source>Deaths</source>
        <translation>死亡人数</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="147"/>
        <source>Poisoned or seriously injured</source>
        <translation>中毒或重伤人数</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="148"/>
        <source>Evacuated</source>
        <translation>疏散转移人数</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="149"/>
        <source>Direct loss (yuan)</source>
        <translation>直接经济损失（元）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="162"/>
        <source>No intake cut off</source>
        <translation>未中断取水</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="163"/>
        <source>Township intake cut off</source>
        <translation>乡镇水源地取水中断</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="164"/>
        <source>County-level city intake cut off</source>
        <translation>县级城市水源地取水中断</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="165"/>
        <source>Prefecture-level city intake cut off</source>
        <translation>设区的市级城市水源地取水中断</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="168"/>
        <source>Drinking-water intake</source>
        <translation>饮用水取水</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="169"/>
        <source>Record figures</source>
        <translation>记录数字</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="175"/>
        <source>Response plan checklist</source>
        <translation>预案处置清单</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="179"/>
        <source>Activate plan</source>
        <translation>启动预案</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="187"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="187"/>
        <source>Owner</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="187"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="187"/>
        <location filename="../../ui/emergency_panel.py" line="259"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="200"/>
        <source>Step done</source>
        <translation>步骤完成</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="202"/>
        <source>Reason to skip</source>
        <translation>跳过理由</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="203"/>
        <source>Skip step</source>
        <translation>跳过步骤</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="204"/>
        <source>Dispatch owner</source>
        <translation>调度责任单位</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="216"/>
        <source>Coordination log</source>
        <translation>应急协调日志</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="221"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="221"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="221"/>
        <source>Activity</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="221"/>
        <source>By</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="235"/>
        <source>Ctrl+L · Enter records · /c call  /d decision  /s dispatch  /r reading</source>
        <translation>Ctrl+L · 回车记录 · /c 电话  /d 决策  /s 调度  /r 数据</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="240"/>
        <source>Export log as PDF…</source>
        <translation>导出日志PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="241"/>
        <source>Send as CAP message</source>
        <translation>以CAP消息发送</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="254"/>
        <source>Emergency monitoring tasks</source>
        <translation>应急监测任务</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="259"/>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="259"/>
        <source>Parameters</source>
        <translation>监测项目</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="259"/>
        <source>Next sample</source>
        <translation>下次采样</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="275"/>
        <source>Sample of the selected task: NH3-N=2.4 CODMn=9.1</source>
        <translation>所选任务的监测结果：NH3-N=2.4 CODMn=9.1</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="283"/>
        <source>Affected stations (downstream / downwind)</source>
        <translation>受影响站点（下游／下风向）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="294"/>
        <source>Parameters, e.g. NH3-N CODMn</source>
        <translation>监测项目，如 NH3-N CODMn</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="298"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="299"/>
        <source>Assign monitoring</source>
        <translation>布置应急监测</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="345"/>
        <source> [EXERCISE]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="350"/>
        <source>no figure reaches a higher level</source>
        <translation>无数字达到更高级别</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="353"/>
        <source>not decided yet (shift leader)</source>
        <translation>尚未定级（待带班领导确定）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="358"/>
        <source>province leads</source>
        <translation>省级响应</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="359"/>
        <source>city leads</source>
        <translation>市级响应</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="360"/>
        <source>county leads</source>
        <translation>县级响应</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="363"/>
        <source>differs from proposal</source>
        <translation>与建议级别不同</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="434"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="435"/>
        <source>OVERDUE</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="436"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="437"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="440"/>
        <source>(late)</source>
        <translation>（超时完成）</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="467"/>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="471"/>
        <source>SAMPLE OVERDUE</source>
        <translation>采样超时</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="473"/>
        <source>{0} samples</source>
        <translation>已采样{0}次</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="511"/>
        <location filename="../../ui/emergency_panel.py" line="518"/>
        <source>Select a step first</source>
        <translation>请先选择一个步骤</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="526"/>
        <source>Select an affected station and name the parameters</source>
        <translation>请选择受影响站点并填写监测项目</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="535"/>
        <source>Select a monitoring task first</source>
        <translation>请先选择一个监测任务</translation>
    </message>
    <message>
        <location filename="../../ui/emergency_panel.py" line="544"/>
        <location filename="../../ui/emergency_panel.py" line="547"/>
        <source>Write each value as PARAMETER=NUMBER</source>
        <translation>请按“项目=数值”填写</translation>
    </message>
</context>
</TS>
