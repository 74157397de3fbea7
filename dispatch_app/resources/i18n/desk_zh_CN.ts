<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AsyncFormDialog</name>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="61"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CaseDetailsPanel</name>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="74"/>
        <location filename="../../../ui/cases/case_details.py" line="187"/>
        <source>No case selected</source>
        <translation>未选择事项</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="116"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="117"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="118"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="119"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="120"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="121"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="122"/>
        <source>Unit</source>
        <translation>处置单位</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="123"/>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="124"/>
        <source>Emergency level</source>
        <translation>事件级别</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="125"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="126"/>
        <source>Response due</source>
        <translation>响应时限</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="127"/>
        <source>Resolution due</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="128"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="140"/>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="144"/>
        <source>Triage</source>
        <translation>研判</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="145"/>
        <source>Dispatch…</source>
        <translation>派发…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="146"/>
        <source>Acknowledge</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="147"/>
        <source>Arrived on scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="148"/>
        <source>Resolved</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="149"/>
        <source>Request closure…</source>
        <translation>申请办结…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="150"/>
        <source>Approve closure</source>
        <translation>批准办结</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="151"/>
        <source>Refuse closure…</source>
        <translation>退回办结申请…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="152"/>
        <source>Close…</source>
        <translation>办结…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="153"/>
        <source>Cancel case…</source>
        <translation>撤销…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="154"/>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="155"/>
        <source>Add note…</source>
        <translation>添加备注…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="156"/>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="107"/>
        <source>Timeline</source>
        <translation>处置经过</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="263"/>
        <source>Awaiting closure approval — %1, %2 (%3)</source>
        <translation>待审批办结 — %1 于 %2 申请（%3）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="268"/>
        <source>Closing note: %1</source>
        <translation>办结说明：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="276"/>
        <source>Closure request refused — %1, %2</source>
        <translation>办结申请已退回 — %1 于 %2 退回</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="280"/>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="296"/>
        <source>No deadline running</source>
        <translation>无进行中的时限</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="301"/>
        <source>Overdue by %1</source>
        <translation>超时 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="304"/>
        <source>%1 left (at risk)</source>
        <translation>剩余 %1（临期）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="307"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_details.py" line="337"/>
        <source>(requested by %1)</source>
        <translation>（%1 申请）</translation>
    </message>
</context>
<context>
    <name>CaseEditDialog</name>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="509"/>
        <source>Edit case %1</source>
        <translation>修改事项 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="510"/>
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="527"/>
        <source>Holds a petitioner&apos;s masked phone or ID number: it cannot be changed here, so the stored number is never overwritten.</source>
        <translation>含信访人已脱敏的电话或身份证号：不能在此修改，以免覆盖数据库中保存的完整号码。</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="614"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="615"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="616"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="617"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="618"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="619"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="620"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="621"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="622"/>
        <source>Enterprise name</source>
        <translation>企业名称</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="623"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
</context>
<context>
    <name>CaseFormDialog</name>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="143"/>
        <source>New case</source>
        <translation>新建事项</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="173"/>
        <source>— choose the district —</source>
        <translation>请选择辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="187"/>
        <source>e.g. 119.95 (optional)</source>
        <translation>如 119.95（可选）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="189"/>
        <source>e.g. 31.78 (optional)</source>
        <translation>如 31.78（可选）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="192"/>
        <source>18 characters, e.g. 91320400MA1XXXXXXX</source>
        <translation>18位，如 91320400MA1XXXXXXX</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="210"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="211"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="212"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="213"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="215"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="216"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="217"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="223"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="225"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="227"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="228"/>
        <source>Enterprise name</source>
        <translation>企业名称</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="231"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="242"/>
        <source>Petitions are taken in through the petition intake form: petitioner, channel and the statutory deadlines (信访工作条例). What you typed here is not used.</source>
        <translation>信访事项须通过信访登记表受理：信访人、信访渠道和法定期限（信访工作条例）。此处填写的内容不会保存。</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="252"/>
        <source>Emergency level</source>
        <translation>事件级别</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="269"/>
        <location filename="../../../ui/cases/case_form.py" line="304"/>
        <source>Create case</source>
        <translation>创建事项</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="270"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="304"/>
        <source>Open petition intake…</source>
        <translation>打开信访登记…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="331"/>
        <source>From the coordinates: check it. The Economic Development Zone lies within Wujin.</source>
        <translation>由坐标推断，请核对。经开区位于武进区范围内。</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="334"/>
        <source>From the coordinates: check it.</source>
        <translation>由坐标推断，请核对。</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="337"/>
        <source>From the district named in the address: check it.</source>
        <translation>由地址中的辖区名推断，请核对。</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="363"/>
        <source>%1 of 18 characters</source>
        <translation>已输入 %1/18 位</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="372"/>
        <source>✔ check character correct</source>
        <translation>✔ 校验码正确</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/case_form.py" line="379"/>
        <source>%1 characters; at most %2 are allowed</source>
        <translation>共%1字，最多允许%2字</translation>
    </message>
</context>
<context>
    <name>CaseQueueModel</name>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="209"/>
        <source>Reference</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="210"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="211"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="212"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="214"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="215"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="216"/>
        <source>Unit</source>
        <translation>处置单位</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="213"/>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="307"/>
        <source>%1: due %2 (Beijing time)</source>
        <translation>%1：截止 %2（北京时间）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="317"/>
        <source>Due %1 (Beijing time)</source>
        <translation>截止 %1（北京时间）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="373"/>
        <source>%1 %2 overdue</source>
        <translation>%1 超时 %2</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="377"/>
        <source>%1 %2 left</source>
        <translation>%1 剩余 %2</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="385"/>
        <source>%1 overdue</source>
        <translation>超时 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="386"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="272"/>
        <source>Changed by someone else</source>
        <translation>该事项已被他人修改</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="276"/>
        <source>This case was changed on another workstation after you opened it. Nothing was overwritten. Compare the two versions, then reapply your change on theirs or drop it.</source>
        <translation>您打开该事项后，另一席位修改了它。任何内容都未被覆盖。请对比两个版本，然后在对方版本上重新提交您的修改，或放弃您的修改。</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="284"/>
        <source>Their version (version %1)</source>
        <translation>对方版本（第%1版）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="290"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="291"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="292"/>
        <source>Unit</source>
        <translation>处置单位</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="293"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="295"/>
        <source>Changed by</source>
        <translation>修改人</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="305"/>
        <source>Your change (made on version %1)</source>
        <translation>您的修改（基于第%1版）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="320"/>
        <source>Reapply my change on their version</source>
        <translation>在对方版本上重新提交我的修改</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="324"/>
        <source>Keep theirs, drop mine</source>
        <translation>保留对方版本，放弃我的修改</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <location filename="../../../ui/shell/status_bar.py" line="45"/>
        <source>data service: not connected</source>
        <translation>数据服务：未连接</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/status_bar.py" line="51"/>
        <source>Beijing time %1</source>
        <translation>北京时间 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/status_bar.py" line="56"/>
        <source>On duty: %1 (%2)</source>
        <translation>值班：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/status_bar.py" line="61"/>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/status_bar.py" line="79"/>
        <source>Database %1: live updates interrupted since %2</source>
        <translation>数据库 %1：实时更新中断（自 %2 起）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/status_bar.py" line="102"/>
        <source>%1 (since %2)</source>
        <translation>%1（自 %2 起）</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="163"/>
        <location filename="../../../ui/cases/action_dialogs.py" line="164"/>
        <source>Dispatch</source>
        <translation>派发</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="171"/>
        <source>%1 cases will be dispatched.</source>
        <translation>将派发 %1 件事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="185"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="186"/>
        <source>Type</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="187"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="188"/>
        <source>Contact</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="189"/>
        <source>Open cases</source>
        <translation>在办事项</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="201"/>
        <source>(suggested: branch of the district)</source>
        <translation>（建议：属地执法分局）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="208"/>
        <source>City-wide</source>
        <translation>全市</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="228"/>
        <source>Instructions for the unit (optional)</source>
        <translation>给处置单位的指示（可选）</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <location filename="../../../ui/cases/queue_model.py" line="147"/>
        <source>%1d %2</source>
        <translation>%1天 %2</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../../ui/shell/errors.py" line="28"/>
        <source>The database file is read-only: nothing was saved. Ask the administrator to fix the file permissions; your input is kept in the form.</source>
        <translation>数据库文件为只读：未保存任何内容。请联系管理员修正文件权限；您填写的内容仍保留在表单中。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/errors.py" line="34"/>
        <source>The database is busy (locked by another program): nothing was saved. Try again in a moment; your input is kept in the form.</source>
        <translation>数据库正忙（被其他程序锁定）：未保存任何内容。请稍后重试；您填写的内容仍保留在表单中。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/errors.py" line="40"/>
        <source>The database cannot be opened: %1</source>
        <translation>无法打开数据库：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/errors.py" line="44"/>
        <source>The connection to the database server was lost: nothing was saved. Your input is kept; try again when the connection is back.</source>
        <translation>与数据库服务器的连接已断开：未保存任何内容。您填写的内容仍保留，连接恢复后请重试。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/errors.py" line="50"/>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
</context>
<context>
    <name>FirstAdministratorDialog</name>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="118"/>
        <source>First start — create the administrator</source>
        <translation>首次启动 — 创建管理员</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="121"/>
        <source>This database has no users yet. Create the first administrator account; the administrator then adds the duty officers.</source>
        <translation>数据库中还没有用户。请创建第一个管理员账号，再由管理员添加值班人员。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="138"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="139"/>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="140"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="141"/>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="145"/>
        <source>Enter a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="147"/>
        <source>Enter the administrator&apos;s full name.</source>
        <translation>请输入管理员姓名。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="149"/>
        <source>The password needs at least %1 characters.</source>
        <translation>密码至少需要%1位。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="153"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../../ui/shell/labels.py" line="40"/>
        <source>Quality problem</source>
        <translation>环境质量问题</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="41"/>
        <source>Violation case</source>
        <translation>环境违法案件</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="42"/>
        <source>Emergency</source>
        <translation>突发环境事件</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="43"/>
        <source>Petition</source>
        <translation>环境信访</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="46"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="47"/>
        <source>Triaged</source>
        <translation>已研判</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="48"/>
        <source>Dispatched</source>
        <translation>已派发</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="49"/>
        <source>Acknowledged</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="50"/>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="51"/>
        <source>Resolved</source>
        <translation>已处置</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="52"/>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="53"/>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="56"/>
        <source>P1 critical</source>
        <translation>P1 特急</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="57"/>
        <source>P2 urgent</source>
        <translation>P2 紧急</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="58"/>
        <source>P3 normal</source>
        <translation>P3 一般</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="59"/>
        <source>P4 low</source>
        <translation>P4 较缓</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="62"/>
        <source>Liyang</source>
        <translation>溧阳</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="63"/>
        <source>Jintan</source>
        <translation>金坛</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="64"/>
        <source>Wujin</source>
        <translation>武进</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="65"/>
        <source>Xinbei</source>
        <translation>新北</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="66"/>
        <source>Tianning</source>
        <translation>天宁</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="67"/>
        <source>Zhonglou</source>
        <translation>钟楼</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="68"/>
        <source>Economic Development Zone</source>
        <translation>经开区</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="71"/>
        <source>12345 government hotline</source>
        <translation>12345政务热线</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="72"/>
        <source>12369 environmental hotline</source>
        <translation>12369环保举报热线</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="73"/>
        <source>Online monitoring alarm</source>
        <translation>在线监测报警</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="74"/>
        <source>Found on patrol</source>
        <translation>巡查发现</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="75"/>
        <source>Assigned by superior</source>
        <translation>上级交办</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="76"/>
        <source>Media report</source>
        <translation>媒体曝光</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="77"/>
        <source>Enterprise report</source>
        <translation>企业报告</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="78"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="81"/>
        <source>Viewer</source>
        <translation>只读</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="82"/>
        <source>Duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="83"/>
        <source>Shift leader</source>
        <translation>带班领导</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="84"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="87"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="88"/>
        <source>Triage</source>
        <translation>研判</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="89"/>
        <source>Dispatch</source>
        <translation>派发</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="90"/>
        <source>Acknowledge</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="91"/>
        <source>Arrive on scene</source>
        <translation>到场</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="92"/>
        <source>Resolve</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="93"/>
        <source>Close</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="94"/>
        <source>Cancel case</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="95"/>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="96"/>
        <source>Request closure</source>
        <translation>申请办结</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="97"/>
        <source>Approve closure</source>
        <translation>批准办结</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="98"/>
        <source>Refuse closure request</source>
        <translation>退回办结申请</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="99"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="100"/>
        <source>Edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="101"/>
        <source>Assigned</source>
        <translation>指派</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="104"/>
        <source>Rectified</source>
        <translation>已整改到位</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="105"/>
        <source>Case filed and penalized</source>
        <translation>已立案查处</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="106"/>
        <source>Not substantiated</source>
        <translation>经核查情况不属实</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="107"/>
        <source>No violation found</source>
        <translation>未发现违法行为</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="108"/>
        <source>Transferred to another department</source>
        <translation>移交其他部门</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="109"/>
        <source>Duplicate</source>
        <translation>重复事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="110"/>
        <source>Petitioner answered</source>
        <translation>已答复信访人</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="111"/>
        <source>Emergency response terminated</source>
        <translation>应急终止</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="112"/>
        <source>Quality restored</source>
        <translation>环境质量已恢复</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="113"/>
        <source>Other (explain in the note)</source>
        <translation>其他（须在备注中说明）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="115"/>
        <source>awaiting closure approval</source>
        <translation>待审批办结</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="119"/>
        <source>Enforcement branch</source>
        <translation>执法分局</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="120"/>
        <source>Field station</source>
        <translation>外勤派驻点</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="121"/>
        <source>Monitoring team</source>
        <translation>监控中心</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="124"/>
        <source>Level I (especially major)</source>
        <translation>Ⅰ级（特别重大）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="125"/>
        <source>Level II (major)</source>
        <translation>Ⅱ级（重大）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="126"/>
        <source>Level III (large)</source>
        <translation>Ⅲ级（较大）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="127"/>
        <source>Level IV (general)</source>
        <translation>Ⅳ级（一般）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="132"/>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="133"/>
        <source>Transfer to the competent body</source>
        <translation>转送有权处理机关</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="134"/>
        <source>Assign to a lower body</source>
        <translation>交办下级机关</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="135"/>
        <source>Not accepted</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="138"/>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="139"/>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="140"/>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="143"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="144"/>
        <source>Text message</source>
        <translation>短信</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="145"/>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="146"/>
        <source>Online</source>
        <translation>网上</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="147"/>
        <source>In person</source>
        <translation>当面</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="150"/>
        <source>First handling</source>
        <translation>初次办理</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="151"/>
        <source>Review (复查)</source>
        <translation>复查</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/labels.py" line="152"/>
        <source>Second review (复核)</source>
        <translation>复核</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <location filename="../../../ui/shell/application.py" line="139"/>
        <location filename="../../../ui/shell/application.py" line="199"/>
        <location filename="../../../ui/shell/application.py" line="212"/>
        <source>The desk cannot start</source>
        <translation>调度台无法启动</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="140"/>
        <source>The database %1 cannot be opened:
%2</source>
        <translation>无法打开数据库 %1：
%2</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="189"/>
        <source>Demo accounts, password %1:</source>
        <translation>演示账号（密码均为 %1）：</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="199"/>
        <source>Demo data is not available.</source>
        <translation>演示数据不可用。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="201"/>
        <source>Preparing the demo workload…</source>
        <translation>正在准备演示数据…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="204"/>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="262"/>
        <source>starting the embedded data service</source>
        <translation>正在启动内置数据服务</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="275"/>
        <source>no data service: %1</source>
        <translation>无数据服务：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="287"/>
        <source>live feed unavailable: %1</source>
        <translation>实时数据不可用：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/application.py" line="302"/>
        <source>The settings could not be saved: %1</source>
        <translation>设置无法保存：%1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="74"/>
        <source>Log in — Environmental Command and Dispatch Desk</source>
        <translation>登录 — 生态环境指挥调度台</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="87"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="88"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/login_dialogs.py" line="95"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="65"/>
        <source>Changzhou Environmental Command and Dispatch Desk</source>
        <translation>常州市生态环境指挥调度台</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="88"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="89"/>
        <source>&amp;Case</source>
        <translation>事项(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="90"/>
        <source>&amp;Queue</source>
        <translation>队列(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="91"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="92"/>
        <source>&amp;Administration</source>
        <translation>管理(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="93"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="94"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/main_window.py" line="153"/>
        <source>%1 in its own window</source>
        <translation>%1独立窗口显示</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="168"/>
        <source>Search reference, title, description  ( / )</source>
        <translation>搜索编号、标题、描述  ( / )</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="169"/>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="172"/>
        <source>Open cases</source>
        <translation>在办事项</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="173"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="177"/>
        <source>All priorities</source>
        <translation>全部优先级</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="178"/>
        <source>All districts</source>
        <translation>全部辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="181"/>
        <source>All units</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="185"/>
        <source>Overdue only</source>
        <translation>仅看超时</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="189"/>
        <source>Most urgent first</source>
        <translation>最紧迫优先</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="190"/>
        <source>Priority first</source>
        <translation>优先级优先</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="191"/>
        <source>Newest first</source>
        <translation>最新优先</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="192"/>
        <source>By reference</source>
        <translation>按编号</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="196"/>
        <location filename="../../../ui/cases/queue_view.py" line="581"/>
        <source>Saved filters…</source>
        <translation>已保存的筛选…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="214"/>
        <source>Open cases that are not long overdue and await acknowledgement, are due before this shift ends, or were opened by the alarms. Order: the alarms&apos; new cases, then the rest due before the shift ends, then the others; each by due time, then priority (Alt+1)</source>
        <translation>未长期超期、且待签收、在本班结束前到期或由报警生成的在办事项。排序：先列报警新生成的事项，再列本班结束前到期的其余事项，最后列其他；各组内按到期时间，再按优先级（Alt+1）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="222"/>
        <source>Open cases overdue by more than %1 hours, most overdue first (Alt+2)</source>
        <translation>超期超过 %1 小时的在办事项，超期最久的在前（Alt+2）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="226"/>
        <source>Every case the filters match (Alt+3)</source>
        <translation>符合筛选条件的全部事项（Alt+3）</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="261"/>
        <source>Sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="267"/>
        <source>Save filter…</source>
        <translation>保存筛选…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="269"/>
        <source>Delete filter</source>
        <translation>删除筛选</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="384"/>
        <source>Needs action (%1)</source>
        <translation>需处置 (%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="387"/>
        <source>Backlog (%1)</source>
        <translation>积压 (%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="391"/>
        <source>All open (%1)</source>
        <translation>全部在办 (%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="391"/>
        <source>All matching (%1)</source>
        <translation>全部 (%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="525"/>
        <source>counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="528"/>
        <source>%1 cases</source>
        <translation>共 %1 件</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="44"/>
        <source>Case queue</source>
        <translation>事项队列</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="45"/>
        <source>Own window</source>
        <translation>独立窗口</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="49"/>
        <source>Move through the cases</source>
        <translation>在事项间移动</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="54"/>
        <source>Open the case: the keyboard goes to its actions</source>
        <translation>打开事项：键盘转到其操作按钮</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="61"/>
        <source>Needs action, backlog, all open</source>
        <translation>需处置、积压、全部在办</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="66"/>
        <source>From the search box back to the table</source>
        <translation>从搜索框回到列表</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="71"/>
        <source>Full screen on and off (a view in its own window)</source>
        <translation>全屏开关（独立窗口中的视图）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="78"/>
        <source>Leave full screen, else back to the main window</source>
        <translation>退出全屏，否则回到主窗口</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="100"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="102"/>
        <source>The desk is worked from the keyboard. A grey entry in a menu says why.</source>
        <translation>本工作台可全程用键盘操作。菜单中灰色的项会说明原因。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="108"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="108"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/shortcuts_dialog.py" line="108"/>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
</context>
<context>
    <name>TextActionDialog</name>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="127"/>
        <source>— choose how the case ended —</source>
        <translation>— 请选择结案方式 —</translation>
    </message>
    <message>
        <location filename="../../../ui/cases/action_dialogs.py" line="130"/>
        <source>Closure code</source>
        <translation>结案方式</translation>
    </message>
</context>
<context>
    <name>UserAdminDialog</name>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="40"/>
        <source>Users and roles</source>
        <translation>用户与角色</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="49"/>
        <location filename="../../../ui/shell/user_admin.py" line="78"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="50"/>
        <location filename="../../../ui/shell/user_admin.py" line="79"/>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="51"/>
        <location filename="../../../ui/shell/user_admin.py" line="80"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="52"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="53"/>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="74"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="81"/>
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="88"/>
        <source>Set role</source>
        <translation>设置角色</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="91"/>
        <source>Activate / deactivate</source>
        <translation>启用 / 停用</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="94"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="100"/>
        <source>new password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="101"/>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="142"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="142"/>
        <source>no (deactivated)</source>
        <translation>否（已停用）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="166"/>
        <source>User added.</source>
        <translation>已添加用户。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="176"/>
        <location filename="../../../ui/shell/user_admin.py" line="190"/>
        <location filename="../../../ui/shell/user_admin.py" line="204"/>
        <location filename="../../../ui/shell/user_admin.py" line="218"/>
        <source>Select a user first.</source>
        <translation>请先选择用户。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="183"/>
        <source>Role changed.</source>
        <translation>角色已修改。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="197"/>
        <source>User updated.</source>
        <translation>用户已更新。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="211"/>
        <source>User unlocked.</source>
        <translation>用户已解锁。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/user_admin.py" line="224"/>
        <source>Password set.</source>
        <translation>密码已设置。</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="149"/>
        <source>Case queue</source>
        <translation>事项队列</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="154"/>
        <source>Selected case</source>
        <translation>当前事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="321"/>
        <source>New case…</source>
        <translation>新建事项…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="325"/>
        <source>Log out / switch user…</source>
        <translation>注销 / 切换用户…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="328"/>
        <source>Hand the desk to the next officer without closing it</source>
        <translation>交给下一位值班人员登录，无需关闭调度台</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="330"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="337"/>
        <source>Open selected case</source>
        <translation>打开所选事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="340"/>
        <source>Triage</source>
        <translation>研判</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="341"/>
        <source>Dispatch…</source>
        <translation>派发…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="342"/>
        <source>Acknowledge</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="343"/>
        <source>Arrived on scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="344"/>
        <source>Resolved</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="347"/>
        <source>Request closure…</source>
        <translation>申请办结…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="355"/>
        <source>Approve closure</source>
        <translation>批准办结</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="363"/>
        <source>Refuse closure…</source>
        <translation>退回办结申请…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="368"/>
        <source>Close…</source>
        <translation>办结…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="369"/>
        <source>Cancel case…</source>
        <translation>撤销…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="370"/>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="372"/>
        <source>Add note…</source>
        <translation>添加备注…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="373"/>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="377"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="379"/>
        <source>Next case</source>
        <translation>下一事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="380"/>
        <source>Previous case</source>
        <translation>上一事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="386"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="393"/>
        <source>Assign selected cases…</source>
        <translation>批量派发所选事项…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="400"/>
        <source>Save filter…</source>
        <translation>保存筛选…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="407"/>
        <source>Users and roles…</source>
        <translation>用户与角色…</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="412"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="414"/>
        <source>Dark theme</source>
        <translation>深色主题</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="416"/>
        <source>Light theme</source>
        <translation>浅色主题</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="419"/>
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="422"/>
        <source>Smaller text</source>
        <translation>缩小文字</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="477"/>
        <source>No case selected</source>
        <translation>未选择事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="551"/>
        <source>Case changed on another workstation: %1</source>
        <translation>另一席位修改了事项：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="583"/>
        <source>Case %1 created.</source>
        <translation>事项 %1 已创建。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="594"/>
        <source>Select a case first.</source>
        <translation>请先选择事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="610"/>
        <source>%1: changes saved.</source>
        <translation>%1：修改已保存。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="628"/>
        <source>Edit case</source>
        <translation>修改事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="679"/>
        <source>Close the case</source>
        <translation>办结事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="679"/>
        <source>Closing note</source>
        <translation>办结说明</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="681"/>
        <source>Request closure</source>
        <translation>申请办结</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="682"/>
        <source>Outcome and closing note</source>
        <translation>处置结果及办结说明</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="686"/>
        <source>Refuse the closure request</source>
        <translation>退回办结申请</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="687"/>
        <source>Reason (goes back to the officer)</source>
        <translation>退回原因（将反馈给申请人）</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="690"/>
        <source>Cancel the case</source>
        <translation>撤销事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="690"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="691"/>
        <source>Reopen the case</source>
        <translation>重新打开事项</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="691"/>
        <source>Reason for reopening</source>
        <translation>重新打开原因</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="692"/>
        <source>Add a note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="692"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="635"/>
        <location filename="../../../ui/shell/workspace.py" line="775"/>
        <source>Your change was not applied; the case shows their version.</source>
        <translation>您的修改未提交；事项显示的是对方版本。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="693"/>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="699"/>
        <source>Write the outcome: what was found and done. The timeline records it.</source>
        <translation>请填写处置结果：查明了什么、采取了哪些措施。处置结果记入时间线。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="793"/>
        <source>%1: %2 done.</source>
        <translation>%1：已%2。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="814"/>
        <source>%1 dispatched, %2 not: %3</source>
        <translation>已派发 %1 件，%2 件未派发：%3</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="821"/>
        <source>%1 cases dispatched.</source>
        <translation>已派发 %1 件事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="828"/>
        <source>Assign %1 selected cases to one unit</source>
        <translation>将所选 %1 件事项派发给同一单位</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="841"/>
        <source>Save filter</source>
        <translation>保存筛选</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="842"/>
        <source>Name of the filter</source>
        <translation>筛选名称</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/workspace.py" line="852"/>
        <source>Filter “%1” saved.</source>
        <translation>筛选“%1”已保存。</translation>
    </message>
</context>
<context>
    <name>self.model</name>
    <message>
        <location filename="../../../ui/cases/queue_view.py" line="335"/>
        <source>%1 overdue</source>
        <translation>超时 %1</translation>
    </message>
</context>
</TS>
