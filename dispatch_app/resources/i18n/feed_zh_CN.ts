<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FeedBridge</name>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="96"/>
        <source>Embedded data service restarting</source>
        <translation>内置数据服务正在重启</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="98"/>
        <source>Embedded data service failed</source>
        <translation>内置数据服务启动失败</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="100"/>
        <source>Data service connected</source>
        <translation>数据服务已连接</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="102"/>
        <source>Connecting to the data service</source>
        <translation>正在连接数据服务</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="104"/>
        <source>Data service not answering properly</source>
        <translation>数据服务响应异常</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="107"/>
        <source>Data service down</source>
        <translation>数据服务中断</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="128"/>
        <source>Live feed stopped</source>
        <translation>实时数据已停止</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="133"/>
        <source>%1 · last poll %2</source>
        <translation>%1 · 最后轮询 %2</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="144"/>
        <source>Last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/shell/feed_bridge.py" line="205"/>
        <source>Stations</source>
        <translation>站点/断面</translation>
    </message>
</context>
<context>
    <name>StationTable</name>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="98"/>
        <source>National air station</source>
        <translation>国控空气站</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="99"/>
        <source>Provincial air station</source>
        <translation>省控空气站</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="100"/>
        <source>Township air station</source>
        <translation>镇街空气站</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="101"/>
        <source>Air grid point</source>
        <translation>大气网格点</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="102"/>
        <source>National water section</source>
        <translation>国考水质断面</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="103"/>
        <source>Provincial water section</source>
        <translation>省考水质断面</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="104"/>
        <source>Boundary water section</source>
        <translation>区界水质断面</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="111"/>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="112"/>
        <source>stopped</source>
        <translation>停运</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="113"/>
        <source>maintenance</source>
        <translation>维护</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="114"/>
        <source>manually set value</source>
        <translation>手工输入值</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="115"/>
        <source>instrument fault</source>
        <translation>仪器故障</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="116"/>
        <source>calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="117"/>
        <source>over range</source>
        <translation>超量程</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="118"/>
        <source>data-logger communication fault</source>
        <translation>数采仪通讯故障</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="188"/>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="190"/>
        <source>%n min ago</source>
        <translation>%n 分钟前</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="194"/>
        <source>%n h ago</source>
        <translation>%n 小时前</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="197"/>
        <source>%n d ago</source>
        <translation>%n 天前</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="405"/>
        <source>Station</source>
        <translation>站点/断面</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="407"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="409"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="411"/>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="417"/>
        <source>Time since the station&apos;s last observation</source>
        <translation>距该站点最近一次监测数据的时间</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="519"/>
        <source> (sample data)</source>
        <translation>（示例数据）</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="548"/>
        <source>%1 = %2 %3 at %4, flag %5</source>
        <translation>%1 = %2 %3，时间 %4，标记 %5</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="582"/>
        <source>Last observation %1; reports every %2 s.
Late (next report overdue) after %3, offline after %4.</source>
        <translation>最近观测 %1；每 %2 秒报送一次。
%3 后未收到下一次报送为迟报，%4 后为断报。</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="206"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="210"/>
        <source>late · %1</source>
        <translation>迟报 · %1</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="212"/>
        <source>stale · %1</source>
        <translation>断报 · %1</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="573"/>
        <source>No observation received from this station</source>
        <translation>尚未收到该站点的监测数据</translation>
    </message>
</context>
<context>
    <name>StationTableView</name>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="741"/>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="742"/>
        <source>All air stations</source>
        <translation>全部空气站</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="743"/>
        <source>All water sections</source>
        <translation>全部水质断面</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="748"/>
        <source>All districts</source>
        <translation>全部辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="789"/>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="791"/>
        <source>District:</source>
        <translation>辖区：</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="823"/>
        <source>Data service down since %1: values below are not current.</source>
        <translation>数据服务自 %1 起中断：下列数值不是最新数据。</translation>
    </message>
    <message>
        <location filename="../../../ui/stations/station_table.py" line="867"/>
        <source>%1 of %2 stations</source>
        <translation>显示 %1 / 共 %2 个站点</translation>
    </message>
</context>
</TS>
